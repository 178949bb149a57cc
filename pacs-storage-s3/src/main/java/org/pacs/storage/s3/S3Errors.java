package org.pacs.storage.s3;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Turns SDK failures into {@link StorageException}s whose message names the endpoint, bucket and key and
 * says what to check. The SDK has already retried what its policy retries, so every error here is final.
 */
final class S3Errors {

    private final CloudStorageConfig config;

    S3Errors(CloudStorageConfig config) {
        this.config = config;
    }

    /** {@code key} may be null for bucket-level operations. */
    StorageException map(String operation, String key, Throwable t) {
        if (t instanceof StorageException se) {
            return se;
        }
        String where = operation + " of " + location(key) + " at " + config.endpointDisplay();
        if (t instanceof S3Exception s3) {
            return fromService(where, key, s3);
        }
        if (t instanceof ApiCallTimeoutException || t instanceof ApiCallAttemptTimeoutException
                || hasCause(t, SocketTimeoutException.class)) {
            return StorageException.unavailable(where + " timed out (connect-timeout-ms "
                    + config.connectTimeoutMs() + ", request-timeout-ms " + config.requestTimeoutMs()
                    + "); check that the server is up and reachable, or raise the timeouts for slow links.", t);
        }
        if (hasCause(t, ConnectException.class) || hasCause(t, UnknownHostException.class)
                || hasCause(t, NoRouteToHostException.class)) {
            return StorageException.unavailable(where + " failed: cannot connect to " + config.endpointDisplay()
                    + " (" + rootMessage(t) + "); check endpoint-url and region, that the server runs, and the"
                    + " network or proxy between.", t);
        }
        if (t instanceof SdkClientException || hasCause(t, IOException.class)) {
            return StorageException.unavailable(where + " failed: " + rootMessage(t) + "; the connection to "
                    + config.endpointDisplay() + " broke off. Check the server and the network, then retry.", t);
        }
        if (t instanceof SdkException) {
            return StorageException.internal(where + " failed: " + rootMessage(t), t);
        }
        return StorageException.internal(where + " failed unexpectedly: " + t, t);
    }

    private StorageException fromService(String where, String key, S3Exception e) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        code = code == null ? "" : code;
        int status = e.statusCode();
        String said = " (HTTP " + status + (code.isEmpty() ? "" : " " + code) + ", request id " + e.requestId() + ")";
        if ("InvalidObjectState".equals(code)) {
            return new StorageException(Reason.ARCHIVED, where + " refused" + said + ": the object is in an"
                    + " archive storage class (GLACIER or DEEP_ARCHIVE). Request a restore (requestRestore), wait"
                    + " for restoreStatus RESTORED, then read it again.", e);
        }
        if ("NoSuchBucket".equals(code) || (status == 404 && key == null)) {
            return new StorageException(Reason.INVALID_INPUT, where + " failed" + said + ": bucket '"
                    + config.bucketName() + "' does not exist. Check bucket-name and region, or create the bucket.",
                    e);
        }
        if ("NoSuchKey".equals(code) || "NoSuchUpload".equals(code) || status == 404) {
            return new StorageException(Reason.NOT_FOUND, where + " found nothing" + said + "; the object is"
                    + " gone from the bucket. Run rebuildIndex or verifyIntegrity to bring the index in line.", e);
        }
        if (status == 503 || status == 429 || "SlowDown".equals(code) || "Throttling".equals(code)
                || "RequestLimitExceeded".equals(code)) {
            return StorageException.unavailable(where + " was throttled" + said + " even after the SDK's retries;"
                    + " lower max-connections, spread the load, or retry later.", e);
        }
        if (status == 403 || status == 401) {
            return new StorageException(Reason.PERMISSION_DENIED, where + " was refused" + said
                    + ": check access-key-id and secret-access-key (or the default credential chain), the"
                    + " region, and that the bucket policy grants this operation.", e);
        }
        if (checksumRefused(code, status, e)) {
            return new StorageException(Reason.CORRUPT, where + " failed" + said + ": the bytes changed in transit"
                    + " (checksum mismatch). Retry; if it repeats, check proxies between here and the server.", e);
        }
        if ("NotImplemented".equals(code) || status == 501) {
            return new StorageException(Reason.UNSUPPORTED, where + " is not supported by this server" + said
                    + "; use an S3 service that implements it.", e);
        }
        if (status >= 500) {
            return StorageException.unavailable(where + " failed on the server" + said + " after the SDK's retries;"
                    + " check the server's health and retry later.", e);
        }
        return StorageException.internal(where + " failed" + said + ": " + e.awsErrorDetails().errorMessage(), e);
    }

    String location(String key) {
        return "s3://" + config.bucketName() + "/" + (key == null ? "" : key);
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }

    /**
     * S3 says BadDigest when a body does not match its checksum; S3Mock says 400 BadRequest and names the
     * x-amz-checksum header instead. Both mean the bytes changed on the way, not that the request was wrong.
     */
    private static boolean checksumRefused(String code, int status, S3Exception e) {
        if ("BadDigest".equals(code) || "InvalidDigest".equals(code) || code.startsWith("XAmzContent")) {
            return true;
        }
        String message = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorMessage();
        return status == 400 && message != null && message.toLowerCase(Locale.ROOT).contains("x-amz-checksum-");
    }
}
