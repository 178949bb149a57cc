package org.pacs.storage.s3;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.pacs.storage.ArchivalBackend;
import org.pacs.storage.ProgressListener;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.index.AbstractIndexedBackend;
import org.pacs.storage.index.InstanceMetadata;
import org.pacs.storage.query.QueryMatcher;
import org.pacs.storage.spool.InstanceSpooler;
import org.pacs.storage.spool.SpooledInstance;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Spec §3.1 (DES-STOR-005): DICOM instances as objects in an S3 bucket, through the AWS SDK for Java v2.
 * Ingest, duplicate policy, index and queries come from {@link AbstractIndexedBackend}; this class moves the
 * bytes ({@link Uploader}), maps errors ({@link S3Errors}), rebuilds the index from object metadata
 * ({@link IndexRebuilder}) and handles archive classes ({@link ArchiveOperations}).
 * <p>The index lives in memory: {@link #connect} rebuilds it from the bucket, the constructor starts empty.
 */
public final class S3Storage extends AbstractIndexedBackend implements ArchivalBackend {

    private final CloudStorageConfig config;
    private final S3Client s3;
    private final KeyLayout layout;
    private final S3Errors errors;
    private final ExecutorService workers;
    private final PendingAborts aborts;
    private final Uploader uploader;
    private final ArchiveOperations archive;
    /**
     * The progress listener of the store or retrieve running on this thread. The shared base class drives
     * store and retrieve, so the listener rides along here instead of through every signature in between.
     */
    private final ThreadLocal<ProgressListener> progress = ThreadLocal.withInitial(() -> ProgressListener.NONE);

    public S3Storage(CloudStorageConfig config, Path spoolDir) {
        this(config, new InstanceSpooler(spoolDir));
    }

    public S3Storage(CloudStorageConfig config, InstanceSpooler spooler) {
        super(spooler, config.duplicatePolicy(), QueryMatcher.DEFAULT);
        this.config = config;
        this.layout = config.keyLayout();
        this.errors = new S3Errors(config);
        this.s3 = S3ClientFactory.create(config);
        this.workers = Executors.newFixedThreadPool(config.maxConnections(), daemonThreads());
        this.aborts = new PendingAborts(s3, config.bucketName());
        this.uploader = new Uploader(s3, config, workers, errors, aborts);
        this.archive = new ArchiveOperations(s3, config, errors);
    }

    /** Connects and rebuilds the index from the bucket, so a restarted process sees what it stored before. */
    public static S3Storage connect(CloudStorageConfig config, Path spoolDir) {
        S3Storage s = new S3Storage(config, spoolDir);
        try {
            s.rebuildIndex();
            return s;
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    public CloudStorageConfig config() {
        return config;
    }

    // ---- spec §3.1.3 S3-specific operations ------------------------------------------------------------

    /** Stores like {@link #store(Path)}, telling {@code listener} bytes uploaded at least once per part. */
    public StoredInstance storeWithProgress(Path file, ProgressListener listener) {
        return withProgress(listener, () -> store(file));
    }

    public StoredInstance storeWithProgress(InputStream in, ProgressListener listener) {
        return withProgress(listener, () -> store(in));
    }

    public StoredInstance storeWithProgress(DicomDataset dataset, ProgressListener listener) {
        return withProgress(listener, () -> store(dataset));
    }

    /** Retrieves like {@link #retrieve}, telling {@code listener} bytes read at least once per part size. */
    public DicomDataset retrieveWithProgress(SopInstanceUid uid, ProgressListener listener) {
        return withProgress(listener, () -> retrieve(uid));
    }

    /** Like {@link #open}, the stream reporting progress as the caller reads it. */
    public InputStream openWithProgress(SopInstanceUid uid, ProgressListener listener) {
        return withProgress(listener, () -> open(uid));
    }

    /**
     * Replaces the index with what the bucket holds: a listing plus one HEAD per object and a ranged GET of
     * the header bytes (pixel data is never downloaded). Objects without this backend's metadata are skipped
     * and named in the result.
     */
    public IndexRebuilder.Result rebuildIndex() {
        ensureOpen();
        IndexRebuilder.Result r = new IndexRebuilder(s3, config, layout, errors, workers).rebuild();
        index().clear();
        index().putAll(r.entries());
        return r;
    }

    /** HeadBucket within connect-timeout-ms; also finishes aborts a lost connection left pending. */
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
        ensureOpen();
        try {
            s3.headBucket(b -> b.bucket(config.bucketName())
                    .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMillis(config.connectTimeoutMs()))));
        } catch (SdkException e) {
            throw errors.map("HeadBucket", null, e);
        }
        aborts.retry();
    }

    // ---- ArchivalBackend ---------------------------------------------------------------------------------

    @Override
    public RestoreStatus requestRestore(SopInstanceUid uid, int days, RestorePriority priority) {
        return archive.requestRestore(keyOf(require(uid)), days, priority);
    }

    @Override
    public RestoreStatus restoreStatus(SopInstanceUid uid) {
        return archive.restoreStatus(keyOf(require(uid)));
    }

    @Override
    public String storageClass(SopInstanceUid uid) {
        return archive.storageClass(keyOf(require(uid)));
    }

    @Override
    public void changeStorageClass(SopInstanceUid uid, String storageClass) {
        archive.changeStorageClass(keyOf(require(uid)), CloudStorageConfig.normaliseStorageClass(storageClass));
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
        return RestoreHeader.isArchiveClass(storageClass);
    }

    private int changeAll(java.util.function.Predicate<StoredInstance> which, String storageClass) {
        ensureOpen();
        String cls = CloudStorageConfig.normaliseStorageClass(storageClass);
        int n = 0;
        for (StoredInstance i : list()) {
            if (which.test(i)) {
                archive.changeStorageClass(keyOf(i), cls);
                n++;
            }
        }
        return n;
    }

    // ---- AbstractIndexedBackend ----------------------------------------------------------------------

    @Override
    protected void writeObject(SpooledInstance source, StoredInstance previous) {
        aborts.retry();
        StoredInstance inst = source.instance();
        String key = keyOf(inst);
        // Header bytes only (the spooler parsed them already but does not keep the length); stored so a
        // rebuild can fetch exactly the header with a ranged GET.
        long headerLength = DicomReader.readHeader(source.path()).headerLength();
        uploader.upload(source.path(), inst.sizeBytes(), new Uploader.ObjectWrite(key,
                InstanceMetadata.encode(inst, headerLength), config.storageClass(), config.enableEncryption()),
                progress.get());
        if (previous != null && !keyOf(previous).equals(key)) {
            // a replacement under another study or series: the old object would otherwise linger as an orphan
            deleteObject(previous);
        }
    }

    @Override
    protected InputStream readObject(StoredInstance instance) {
        String key = keyOf(instance);
        try {
            InputStream in = s3.getObject(b -> b.bucket(config.bucketName()).key(key));
            ProgressListener l = progress.get();
            return l == ProgressListener.NONE ? in
                    : new ProgressInputStream(in, instance.sizeBytes(), config.partSize(), l);
        } catch (SdkException e) {
            throw errors.map("GetObject", key, e);
        }
    }

    @Override
    protected void deleteObject(StoredInstance instance) {
        String key = keyOf(instance);
        try {
            s3.deleteObject(b -> b.bucket(config.bucketName()).key(key));
        } catch (SdkException e) {
            throw errors.map("DeleteObject", key, e);
        }
    }

    @Override
    protected String objectKey(StoredInstance instance) {
        return keyOf(instance);
    }

    @Override
    protected Set<String> listObjectKeys() {
        try {
            return s3.listObjectsV2Paginator(b -> b.bucket(config.bucketName()).prefix(layout.prefix()))
                    .contents().stream().map(o -> o.key()).collect(Collectors.toSet());
        } catch (SdkException e) {
            throw errors.map("ListObjectsV2", layout.prefix(), e);
        }
    }

    @Override
    protected void closeResources() {
        aborts.retry();
        workers.shutdownNow();
        s3.close();
    }

    String keyOf(StoredInstance i) {
        return layout.keyFor(i.studyInstanceUid(), i.seriesInstanceUid(), i.sopInstanceUid());
    }

    /** Uploads whose abort could not reach the server yet; for tests and diagnostics. */
    int pendingAborts() {
        return aborts.snapshot().size();
    }

    private <T> T withProgress(ProgressListener listener, Supplier<T> action) {
        progress.set(listener == null ? ProgressListener.NONE : listener);
        try {
            return action.get();
        } finally {
            progress.remove();
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "s3-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return "S3Storage[" + errors.location(layout.prefix()) + " at " + config.endpointDisplay() + "]";
    }
}
