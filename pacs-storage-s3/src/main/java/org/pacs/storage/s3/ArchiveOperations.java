package org.pacs.storage.s3;

import org.pacs.storage.ArchivalBackend.RestorePriority;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.StorageException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** Storage classes and Glacier restores of single objects, by key. */
final class ArchiveOperations {

    /** CopyObject refuses sources above 5 GiB; larger objects would need a multipart copy. */
    static final long MAX_COPY_BYTES = 5L * 1024 * 1024 * 1024;

    private final S3Client s3;
    private final CloudStorageConfig config;
    private final S3Errors errors;

    ArchiveOperations(S3Client s3, CloudStorageConfig config, S3Errors errors) {
        this.s3 = s3;
        this.config = config;
        this.errors = errors;
    }

    HeadObjectResponse head(String key) {
        try {
            return s3.headObject(b -> b.bucket(config.bucketName()).key(key));
        } catch (SdkException e) {
            throw errors.map("HeadObject", key, e);
        }
    }

    /** S3 omits the header for STANDARD objects. */
    String storageClass(String key) {
        String c = head(key).storageClassAsString();
        return c == null || c.isBlank() ? "STANDARD" : c;
    }

    RestoreStatus restoreStatus(String key) {
        HeadObjectResponse h = head(key);
        return RestoreHeader.status(h.storageClassAsString(), h.restore());
    }

    /**
     * Rewrites the object onto itself with the new class: S3 keeps the bytes, metadata and key and changes
     * only the class. An archived object must be restored first (S3 answers InvalidObjectState).
     */
    void changeStorageClass(String key, String storageClass) {
        HeadObjectResponse h = head(key);
        if (h.contentLength() != null && h.contentLength() > MAX_COPY_BYTES) {
            throw new StorageException(StorageException.Reason.UNSUPPORTED, "Changing the storage class of "
                    + errors.location(key) + " (" + h.contentLength() + " bytes) needs a multipart copy, which"
                    + " this backend does not do; use an S3 lifecycle rule for objects above 5 GiB.");
        }
        CopyObjectRequest.Builder req = CopyObjectRequest.builder()
                .sourceBucket(config.bucketName()).sourceKey(key)
                .destinationBucket(config.bucketName()).destinationKey(key)
                .storageClass(storageClass).metadataDirective(MetadataDirective.COPY);
        if (config.enableEncryption() || h.serverSideEncryption() == ServerSideEncryption.AES256) {
            req.serverSideEncryption(ServerSideEncryption.AES256);
        }
        try {
            s3.copyObject(req.build());
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            if (e.statusCode() == 400 && "InvalidRequest".equals(code)) {
                // AWS changes the class of a copy onto itself; some S3-compatible servers refuse any self-copy
                throw new StorageException(StorageException.Reason.UNSUPPORTED, "The server at "
                        + config.endpointDisplay() + " refused to copy " + errors.location(key) + " onto itself to"
                        + " change its storage class to " + storageClass + " (HTTP 400 InvalidRequest); it cannot"
                        + " change classes in place. Use the provider's lifecycle rules instead.", e);
            }
            throw errors.map("CopyObject (storage class " + storageClass + ")", key, e);
        } catch (SdkException e) {
            throw errors.map("CopyObject (storage class " + storageClass + ")", key, e);
        }
    }

    /**
     * Asks S3 for a temporary readable copy for {@code days}. S3 answers 202 for a new restore, 200 when a
     * copy exists already (its expiry is extended) and 409 RestoreAlreadyInProgress while one runs; all three
     * leave the request granted, so the status is read back with HEAD.
     */
    RestoreStatus requestRestore(String key, int days, RestorePriority priority) {
        if (days < 1) {
            throw StorageException.invalidInput("A restore needs at least 1 day; got " + days + ".");
        }
        HeadObjectResponse h = head(key);
        RestoreStatus now = RestoreHeader.status(h.storageClassAsString(), h.restore());
        if (now.state() == RestoreStatus.State.NOT_ARCHIVED) {
            return now;
        }
        try {
            s3.restoreObject(b -> b.bucket(config.bucketName()).key(key)
                    .restoreRequest(r -> r.days(days).glacierJobParameters(g -> g.tier(RestoreHeader.tier(priority)))));
        } catch (S3Exception e) {
            String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
            if (!"RestoreAlreadyInProgress".equals(code)) {
                throw errors.map("RestoreObject (" + priority + ", " + days + " days)", key, e);
            }
        } catch (SdkException e) {
            throw errors.map("RestoreObject (" + priority + ", " + days + " days)", key, e);
        }
        return restoreStatus(key);
    }
}
