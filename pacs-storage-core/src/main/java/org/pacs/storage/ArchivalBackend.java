package org.pacs.storage;

/**
 * A backend whose objects can sit in an archive class that must be restored before reading (S3 GLACIER and
 * DEEP_ARCHIVE, Azure Archive), and whose class can be changed in place without copying bytes elsewhere.
 * Reading an archived instance raises {@link StorageException.Reason#ARCHIVED}.
 */
public interface ArchivalBackend extends StorageBackend {

    /** Restore speed; S3 offers all three, Azure maps EXPEDITED to High and the others to Standard. */
    enum RestorePriority { EXPEDITED, STANDARD, BULK }

    /** Asks the provider to make an archived instance readable for {@code days}; idempotent. */
    RestoreStatus requestRestore(SopInstanceUid uid, int days, RestorePriority priority);

    RestoreStatus restoreStatus(SopInstanceUid uid);

    /** The provider's class or tier name for the instance, e.g. "GLACIER" or "Cool". */
    String storageClass(SopInstanceUid uid);

    /** Changes the provider's class in place (S3 CopyObject onto itself, Azure Set Blob Tier). */
    void changeStorageClass(SopInstanceUid uid, String storageClass);

    /** True when {@code storageClass} is one whose reads need a restore first. */
    boolean isArchiveClass(String storageClass);
}
