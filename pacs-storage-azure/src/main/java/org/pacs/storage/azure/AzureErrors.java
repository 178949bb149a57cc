package org.pacs.storage.azure;

import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;

/**
 * Turns whatever the SDK throws into a StorageException whose message locates the failure (account,
 * endpoint, container, blob) and says what to check. Callers pass what they were doing, e.g. "upload".
 */
final class AzureErrors {

    private AzureErrors() {
    }

    static StorageException map(AzureConnection conn, String action, String blobName, Throwable t) {
        if (t instanceof StorageException se) {
            return se;
        }
        String where = conn.where(blobName);
        BlobStorageException bse = find(t, BlobStorageException.class);
        if (bse != null) {
            return fromService(conn, action, where, bse);
        }
        if (find(t, UnknownHostException.class) != null) {
            return StorageException.unavailable("Cannot " + action + " at " + where + ": the host of " + conn.endpoint()
                    + " is unknown. Check the account name, endpoint-suffix or endpoint-url, and DNS.", t);
        }
        if (find(t, ConnectException.class) != null) {
            return StorageException.unavailable("Cannot " + action + " at " + where + ": nothing accepts connections at "
                    + conn.endpoint() + ". Check endpoint-url / BlobEndpoint, that the service (or Azurite) runs,"
                    + " and the network; connect-timeout-ms and max-retries bound how long this takes.", t);
        }
        if (isTimeout(t)) {
            return StorageException.unavailable("Cannot " + action + " at " + where + ": the service did not answer"
                    + " within request-timeout-ms. Check the network and the service's health, or raise"
                    + " request-timeout-ms.", t);
        }
        if (find(t, IOException.class) != null) {
            return StorageException.unavailable("Cannot " + action + " at " + where + ": the connection to "
                    + conn.endpoint() + " failed (" + rootMessage(t) + "). Check that the service runs and the"
                    + " network is stable; retrying later may work.", t);
        }
        return StorageException.internal("Unexpected failure trying to " + action + " at " + where + ": "
                + rootMessage(t) + ". This is likely a bug; report it with this message.", t);
    }

    private static StorageException fromService(AzureConnection conn, String action, String where,
                                                 BlobStorageException e) {
        BlobErrorCode code = e.getErrorCode();
        int status = e.getStatusCode();
        String said = " (HTTP " + status + (code == null ? "" : " " + code) + ")";
        if (BlobErrorCode.BLOB_ARCHIVED.equals(code)) {
            return new StorageException(Reason.ARCHIVED, "Cannot " + action + " at " + where + said + ": the blob is"
                    + " in the Archive tier. Request a restore (requestRestore, rehydration takes hours on Azure) and"
                    + " read it when restoreStatus says it is done.", e);
        }
        if (BlobErrorCode.CONTAINER_NOT_FOUND.equals(code)) {
            return new StorageException(Reason.UNAVAILABLE, "Cannot " + action + " at " + where + said
                    + ": the container does not exist. Check container-name, or create the container"
                    + " (or set create-container=true).", e);
        }
        if (BlobErrorCode.BLOB_NOT_FOUND.equals(code)) {
            return new StorageException(Reason.NOT_FOUND, "Cannot " + action + " at " + where + said
                    + ": no such blob. It was removed outside this backend or never stored; run rebuildIndex"
                    + " or verifyIntegrity to resynchronise the index.", e);
        }
        if (BlobErrorCode.BLOB_ALREADY_EXISTS.equals(code) || status == 412) {
            return new StorageException(Reason.ALREADY_EXISTS, "Cannot " + action + " at " + where + said
                    + ": another writer stored this instance at the same moment. Check the duplicate policy"
                    + " or retry.", e);
        }
        if (BlobErrorCode.MD5MISMATCH.equals(code)) {
            return new StorageException(Reason.CORRUPT, "Cannot " + action + " at " + where + said
                    + ": the bytes the service received do not match their Content-MD5, so nothing was committed."
                    + " Check for a proxy that alters traffic, then retry.", e);
        }
        if (status == 403) {
            return new StorageException(Reason.PERMISSION_DENIED, "Cannot " + action + " at " + where + said
                    + ": the credentials were refused. Check the AccountKey (or SAS and its permissions and"
                    + " expiry) in connection-string for account '" + conn.account() + "', and the clock of this"
                    + " machine.", e);
        }
        if (status == 401) {
            return new StorageException(Reason.PERMISSION_DENIED, "Cannot " + action + " at " + where + said
                    + ": not authenticated. Check connection-string.", e);
        }
        if (status == 408 || status >= 500) {
            return StorageException.unavailable("Cannot " + action + " at " + where + said + " after max-retries"
                    + " retries: the service is busy or failing. Retry later; check the service's health.", e);
        }
        return StorageException.internal("Cannot " + action + " at " + where + said + ": " + firstLine(e.getMessage())
                + ". Check the configuration (service version, tier names); report it if it persists.", e);
    }

    static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
            for (Throwable s : c.getSuppressed()) {
                if (type.isInstance(s)) {
                    return type.cast(s);
                }
            }
        }
        return null;
    }

    /** Netty's read/write timeouts are not java.util.concurrent ones; match them by name, not by import. */
    private static boolean isTimeout(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof TimeoutException || c.getClass().getSimpleName().endsWith("TimeoutException")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getClass().getSimpleName() + (r.getMessage() == null ? "" : ": " + firstLine(r.getMessage()));
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
