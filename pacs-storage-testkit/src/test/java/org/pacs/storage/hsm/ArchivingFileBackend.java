package org.pacs.storage.hsm;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.pacs.storage.ArchivalBackend.RestorePriority;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.BlobInfo;
import org.pacs.storage.blob.LocalBlob;
import org.pacs.storage.blob.SupportsArchiveClasses;
import org.pacs.storage.file.FileBlobStore;
import org.pacs.storage.file.FileStorageConfig;

/**
 * A real file blob store with archive-class behaviour layered on, for the HSM archive tests only: no local
 * emulator refuses reads of archived objects and later completes a restore (S3Mock and Azurite keep the class
 * but serve the bytes), so this wrapper says ARCHIVED for blobs in "ARCHIVE" until the test completes a restore
 * it was asked for. Bytes and classes in place are otherwise real.
 */
final class ArchivingFileBackend implements SupportsArchiveClasses {

    static final String ARCHIVE = "ARCHIVE";

    private final FileBlobStore files;
    private final Map<String, String> classes = new ConcurrentHashMap<>();
    private final Map<String, RestoreStatus.State> restores = new ConcurrentHashMap<>();
    final AtomicInteger restoreRequests = new AtomicInteger();

    ArchivingFileBackend(Path root) {
        this.files = new FileBlobStore(FileStorageConfig.of(root));
    }

    /** The provider finished the restore (what hours of waiting would do). */
    void completeRestore(SopInstanceUid uid) {
        restores.replaceAll((k, v) -> k.endsWith("/" + uid.value() + ".dcm") && v == RestoreStatus.State.IN_PROGRESS
                ? RestoreStatus.State.RESTORED : v);
    }

    /** True when some blob of this store holds {@code uid}. */
    boolean holds(SopInstanceUid uid) {
        try (Stream<BlobInfo> s = files.list()) {
            return s.anyMatch(b -> b.key().endsWith("/" + uid.value() + ".dcm"));
        }
    }

    private void checkReadable(String key) {
        if (ARCHIVE.equals(classes.get(key)) && restores.get(key) != RestoreStatus.State.RESTORED) {
            throw new StorageException(StorageException.Reason.ARCHIVED, key + " is archived");
        }
    }

    private void requirePresent(String key) {
        if (files.head(key).isEmpty()) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, key + " is not stored");
        }
    }

    @Override
    public RestoreStatus requestRestore(String key, int days, RestorePriority priority) {
        restoreRequests.incrementAndGet();
        restores.putIfAbsent(key, RestoreStatus.State.IN_PROGRESS);
        return restoreStatus(key);
    }

    @Override
    public RestoreStatus restoreStatus(String key) {
        if (!ARCHIVE.equals(classes.get(key))) {
            return RestoreStatus.of(RestoreStatus.State.NOT_ARCHIVED, "");
        }
        return RestoreStatus.of(restores.getOrDefault(key, RestoreStatus.State.ARCHIVED), "test archive");
    }

    @Override
    public String storageClass(String key) {
        requirePresent(key);
        return classes.getOrDefault(key, "STANDARD");
    }

    @Override
    public void changeStorageClass(String key, String storageClass) {
        requirePresent(key);
        checkReadable(key);
        classes.put(key, storageClass);
        restores.remove(key);
    }

    @Override
    public boolean isArchiveClass(String storageClass) {
        return ARCHIVE.equals(storageClass);
    }

    @Override
    public String keyFor(StoredInstance instance) {
        return files.keyFor(instance);
    }

    @Override
    public Path spoolDir() {
        return files.spoolDir();
    }

    @Override
    public BlobInfo put(String key, LocalBlob blob) {
        return files.put(key, blob);
    }

    @Override
    public InputStream open(String key) {
        checkReadable(key);
        return files.open(key);
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        checkReadable(key);
        return files.open(key, offset, length);
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        return files.head(key).map(b -> new BlobInfo(b.key(), b.size(), b.lastModified(),
                classes.getOrDefault(key, "STANDARD"), b.metadata()));
    }

    @Override
    public void delete(String key) {
        files.delete(key);
        classes.remove(key);
        restores.remove(key);
    }

    @Override
    public Stream<BlobInfo> list() {
        return files.list().map(b -> new BlobInfo(b.key(), b.size(), b.lastModified(),
                classes.getOrDefault(b.key(), "STANDARD"), b.metadata()));
    }

    @Override
    public String describe() {
        return "archiving-" + files.describe();
    }

    @Override
    public void close() {
        files.close();
    }
}
