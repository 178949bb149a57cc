package org.pacs.storage.blob;

import org.pacs.storage.ArchivalBackend.RestorePriority;
import org.pacs.storage.RestoreStatus;

/**
 * A store whose blobs can sit in an archive class that must be restored before reading (S3 GLACIER and
 * DEEP_ARCHIVE, Azure Archive), and whose class can be changed in place without copying the bytes.
 */
public interface SupportsArchiveClasses extends BlobStore {

    /** Asks the provider to make an archived blob readable for {@code days}; idempotent. */
    RestoreStatus requestRestore(String key, int days, RestorePriority priority);

    RestoreStatus restoreStatus(String key);

    /** The provider's class or tier name, e.g. "GLACIER" or "Cool". */
    String storageClass(String key);

    /** Changes the class in place (S3 CopyObject onto itself, Azure Set Blob Tier). */
    void changeStorageClass(String key, String storageClass);

    /** True when blobs in {@code storageClass} need a restore before they can be read. */
    boolean isArchiveClass(String storageClass);
}
