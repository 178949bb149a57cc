package org.pacs.storage.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pacs.storage.ArchivalBackend;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;

/**
 * Reads that may reach an instance in an archive class (S3 GLACIER, Azure Archive): the first such read asks
 * for a restore, and every one answers 503 with Retry-After and the restore status, so a viewer can retry.
 */
final class Archived {

    /** How long a restored copy stays readable. */
    static final int RESTORE_DAYS = 7;
    /** Standard restores take hours; asking again every 15 minutes is often enough. */
    static final int RETRY_AFTER_SECONDS = 900;

    interface Read<T> {
        T get() throws IOException;
    }

    interface Run {
        void run() throws IOException;
    }

    private Archived() {
    }

    static InputStream open(StorageBackend archive, SopInstanceUid uid) throws IOException {
        return call(archive, uid, () -> archive.open(uid));
    }

    static void run(StorageBackend archive, SopInstanceUid uid, Run body) throws IOException {
        call(archive, uid, () -> {
            body.run();
            return null;
        });
    }

    static <T> T call(StorageBackend archive, SopInstanceUid uid, Read<T> body) throws IOException {
        try {
            return body.get();
        } catch (StorageException e) {
            if (e.reason() != StorageException.Reason.ARCHIVED) {
                throw e;
            }
            throw unavailable(archive, uid, e);
        }
    }

    private static HttpError unavailable(StorageBackend archive, SopInstanceUid uid, StorageException e) {
        Map<String, Object> restore = new LinkedHashMap<>();
        restore.put("sopInstanceUID", uid.value());
        if (archive instanceof ArchivalBackend a) {
            try {
                RestoreStatus status = a.restoreStatus(uid);
                if (status.state() == RestoreStatus.State.ARCHIVED) {
                    status = a.requestRestore(uid, RESTORE_DAYS, ArchivalBackend.RestorePriority.STANDARD);
                }
                restore.put("state", status.state().name());
                restore.put("expiresAt", status.expiry().map(Object::toString).orElse(null));
                restore.put("detail", status.detail());
            } catch (StorageException failed) {
                restore.put("state", "UNKNOWN");
                restore.put("detail", failed.getMessage());
            }
        } else {
            restore.put("state", "ARCHIVED");
            restore.put("detail", "this archive restores through its own tooling ('pacs-storage restore')");
        }
        return new HttpError(503, "Instance " + uid + " sits in an archive tier; a restore has been requested."
                + " Retry after the restore completes. (" + e.getMessage() + ")",
                Map.of("Retry-After", Integer.toString(RETRY_AFTER_SECONDS)), Map.of("restore", restore));
    }
}
