package org.pacs.storage.hsm;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.pacs.storage.ArchivalBackend;
import org.pacs.storage.ForwardingStorageBackend;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;

/**
 * A real FileStorage with archive-class behaviour layered on, for the HSM archive tests only: no local
 * emulator refuses reads of archived objects and later completes a restore (S3Mock and Azurite keep the class
 * but serve the bytes), so this wrapper says ARCHIVED for objects in "ARCHIVE" until the test completes a
 * restore it was asked for. Bytes, index and classes in place are otherwise real.
 */
final class ArchivingFileBackend extends ForwardingStorageBackend implements ArchivalBackend {

    static final String ARCHIVE = "ARCHIVE";

    private final Map<SopInstanceUid, String> classes = new ConcurrentHashMap<>();
    private final Map<SopInstanceUid, RestoreStatus.State> restores = new ConcurrentHashMap<>();
    final AtomicInteger restoreRequests = new AtomicInteger();

    ArchivingFileBackend(Path root) {
        super(new FileStorage(FileStorageConfig.of(root)));
    }

    /** The provider finished the restore (what hours of waiting would do). */
    void completeRestore(SopInstanceUid uid) {
        restores.replace(uid, RestoreStatus.State.IN_PROGRESS, RestoreStatus.State.RESTORED);
    }

    private void checkReadable(SopInstanceUid uid) {
        if (ARCHIVE.equals(classes.get(uid)) && restores.get(uid) != RestoreStatus.State.RESTORED) {
            throw new StorageException(StorageException.Reason.ARCHIVED, uid + " is archived");
        }
    }

    @Override
    public RestoreStatus requestRestore(SopInstanceUid uid, int days, RestorePriority priority) {
        restoreRequests.incrementAndGet();
        restores.putIfAbsent(uid, RestoreStatus.State.IN_PROGRESS);
        return restoreStatus(uid);
    }

    @Override
    public RestoreStatus restoreStatus(SopInstanceUid uid) {
        if (!ARCHIVE.equals(classes.get(uid))) {
            return RestoreStatus.of(RestoreStatus.State.NOT_ARCHIVED, "");
        }
        return RestoreStatus.of(restores.getOrDefault(uid, RestoreStatus.State.ARCHIVED),
                "test archive");
    }

    @Override
    public String storageClass(SopInstanceUid uid) {
        describe(uid).orElseThrow(() -> StorageException.notFound(uid));
        return classes.getOrDefault(uid, "STANDARD");
    }

    @Override
    public void changeStorageClass(SopInstanceUid uid, String storageClass) {
        describe(uid).orElseThrow(() -> StorageException.notFound(uid));
        if (ARCHIVE.equals(classes.get(uid)) && restores.get(uid) != RestoreStatus.State.RESTORED) {
            throw new StorageException(StorageException.Reason.ARCHIVED, uid + " must be restored first");
        }
        classes.put(uid, storageClass);
        restores.remove(uid);
    }

    @Override
    public boolean isArchiveClass(String storageClass) {
        return ARCHIVE.equals(storageClass);
    }

    @Override
    public DicomDataset retrieve(SopInstanceUid uid) {
        checkReadable(uid);
        return super.retrieve(uid);
    }

    @Override
    public InputStream open(SopInstanceUid uid) {
        checkReadable(uid);
        return super.open(uid);
    }

    @Override
    public void remove(SopInstanceUid uid) {
        super.remove(uid);
        classes.remove(uid);
        restores.remove(uid);
    }
}
