package org.pacs.storage.s3;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.pacs.storage.ArchivalBackend;
import org.pacs.storage.ProgressListener;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.hsm.CataloguedStorage;
import org.pacs.storage.hsm.HsmStorageConfig;

/**
 * Spec §3.1 (DES-STOR-005): DICOM instances as objects in an S3 bucket. One {@link S3BlobStore} plus a catalog,
 * the only index (by default an embedded SQLite file in the spool directory, named after the bucket and prefix;
 * an archive uses its own shared catalog instead). Opening sends no request and loads nothing; a catalog created
 * over a bucket that already holds instances is rebuilt from the objects' metadata once.
 */
public final class S3Storage extends CataloguedStorage implements ArchivalBackend {

    private final S3BlobStore blobs;

    public S3Storage(CloudStorageConfig config, Path spoolDir) {
        this(new S3BlobStore(config, spoolDir), defaultCatalog(config, spoolDir));
    }

    public S3Storage(CloudStorageConfig config, Path spoolDir, InstanceCatalog catalog) {
        this(new S3BlobStore(config, spoolDir), null, catalog);
    }

    private S3Storage(S3BlobStore blobs, Path catalogFile) {
        this(blobs, catalogFile, null);
    }

    private S3Storage(S3BlobStore blobs, Path catalogFile, InstanceCatalog catalog) {
        super(blobs, () -> catalog != null ? catalog : JdbcInstanceCatalog.sqlite(catalogFile),
                HsmStorageConfig.defaults().withDuplicatePolicy(blobs.config().duplicatePolicy()),
                catalog == null && !Files.exists(catalogFile));
        this.blobs = blobs;
    }

    /** Connects and checks the bucket, so a wrong endpoint, key or bucket fails here with a clear message. */
    public static S3Storage connect(CloudStorageConfig config, Path spoolDir) {
        S3Storage s = new S3Storage(config, spoolDir);
        try {
            s.checkConnection();
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    static Path defaultCatalog(CloudStorageConfig config, Path spoolDir) {
        String name = (config.bucketName() + "-" + config.keyLayout().prefix()).replaceAll("[^A-Za-z0-9._-]", "_");
        return spoolDir.toAbsolutePath().resolve(".pacs-catalog-" + name + ".db");
    }

    public CloudStorageConfig config() {
        return blobs.config();
    }

    // ---- spec §3.1.3 S3-specific operations ------------------------------------------------------------

    /** Stores like {@link #store(Path)}, telling {@code listener} bytes uploaded at least once per part. */
    public StoredInstance storeWithProgress(Path file, ProgressListener listener) {
        return blobs.withProgress(listener, () -> store(file));
    }

    public StoredInstance storeWithProgress(InputStream in, ProgressListener listener) {
        return blobs.withProgress(listener, () -> store(in));
    }

    public StoredInstance storeWithProgress(DicomDataset dataset, ProgressListener listener) {
        return blobs.withProgress(listener, () -> store(dataset));
    }

    /** Retrieves like {@link #retrieve}, telling {@code listener} bytes read at least once per part size. */
    public DicomDataset retrieveWithProgress(SopInstanceUid uid, ProgressListener listener) {
        return blobs.withProgress(listener, () -> retrieve(uid));
    }

    /** Like {@link #open}, the stream reporting progress as the caller reads it. */
    public InputStream openWithProgress(SopInstanceUid uid, ProgressListener listener) {
        return blobs.withProgress(listener, () -> open(uid));
    }

    /** HeadBucket within connect-timeout-ms. */
    public boolean isConnected() {
        try {
            checkConnection();
            return true;
        } catch (StorageException e) {
            return false;
        }
    }

    /** Like {@link #isConnected()} but says why not: endpoint, credentials or bucket. */
    public void checkConnection() {
        blobs.checkConnection();
    }

    // ---- ArchivalBackend ---------------------------------------------------------------------------------

    @Override
    public RestoreStatus requestRestore(SopInstanceUid uid, int days, RestorePriority priority) {
        return blobs.requestRestore(keyOf(uid), days, priority);
    }

    @Override
    public RestoreStatus restoreStatus(SopInstanceUid uid) {
        return blobs.restoreStatus(keyOf(uid));
    }

    @Override
    public String storageClass(SopInstanceUid uid) {
        return blobs.storageClass(keyOf(uid));
    }

    @Override
    public void changeStorageClass(SopInstanceUid uid, String storageClass) {
        blobs.changeStorageClass(keyOf(uid), storageClass);
    }

    /** Changes every instance of a series in place; returns how many objects changed. */
    public int changeSeriesStorageClass(String seriesInstanceUid, String storageClass) {
        return changeAll(i -> i.seriesInstanceUid().equals(seriesInstanceUid), storageClass);
    }

    /** Changes every instance of a study in place; returns how many objects changed. */
    public int changeStudyStorageClass(String studyInstanceUid, String storageClass) {
        return changeAll(i -> i.studyInstanceUid().equals(studyInstanceUid), storageClass);
    }

    @Override
    public boolean isArchiveClass(String storageClass) {
        return blobs.isArchiveClass(storageClass);
    }

    private int changeAll(Predicate<StoredInstance> which, String storageClass) {
        int n = 0;
        for (StoredInstance i : list()) {
            if (which.test(i)) {
                blobs.changeStorageClass(blobs.keyFor(i), storageClass);
                n++;
            }
        }
        return n;
    }

    private String keyOf(SopInstanceUid uid) {
        return blobs.keyFor(describe(uid).orElseThrow(() -> StorageException.notFound(uid)));
    }

    String keyOf(StoredInstance i) {
        return blobs.keyFor(i);
    }

    int pendingAborts() {
        return blobs.pendingAborts();
    }

    @Override
    public String toString() {
        return blobs.toString().replace("S3BlobStore", "S3Storage");
    }
}
