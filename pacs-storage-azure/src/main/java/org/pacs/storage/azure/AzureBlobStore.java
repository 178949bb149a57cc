package org.pacs.storage.azure;

import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.RehydratePriority;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.pacs.storage.ArchivalBackend.RestorePriority;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.BlobInfo;
import org.pacs.storage.blob.LocalBlob;
import org.pacs.storage.blob.SupportsArchiveClasses;

/**
 * DES-STOR-006: blobs as block blobs in one Azure container (or Azurite), on the Azure SDK for Java. Uploads
 * stream staged blocks from the spool file with a per-block MD5 the service checks ({@link BlockUploader});
 * reads are ranged; access tiers are the storage classes (Archive needs a rehydration first). Opening checks the
 * container and loads nothing; listing pages as the caller consumes it.
 */
public final class AzureBlobStore implements SupportsArchiveClasses {

    /** Chunk size of streamed reads: one ranged GET per this many bytes. */
    static final int READ_BLOCK_SIZE = 4 * 1024 * 1024;

    private final AzureStorageConfig config;
    private final Path spoolDir;
    private final BlobNaming naming;
    private final AzureBlobs blobs;
    private final ExecutorService pool;

    public AzureBlobStore(AzureStorageConfig config, Path spoolDir) {
        this.config = config;
        this.spoolDir = spoolDir.toAbsolutePath().normalize();
        this.naming = new BlobNaming(config.blobPrefix(), config.hashedLayout());
        AzureConnection conn = AzureConnection.open(config);
        // Unbounded on purpose: each upload caps its own in-flight requests at max-concurrency, as the spec asks
        // per upload; a shared fixed pool would cap all concurrent uploads together instead.
        this.pool = Executors.newCachedThreadPool(daemonThreads());
        this.blobs = new AzureBlobs(conn, new BlockUploader(config.blockUploadThreshold(), config.blockSize(),
                config.maxConcurrency(), pool), READ_BLOCK_SIZE);
        try {
            blobs.checkContainer(config.createContainer());
        } catch (RuntimeException e) {
            pool.shutdownNow();
            throw e;
        }
    }

    public AzureStorageConfig config() {
        return config;
    }

    @Override
    public String keyFor(StoredInstance i) {
        return naming.blobName(i.studyInstanceUid(), i.seriesInstanceUid(), i.sopInstanceUid());
    }

    @Override
    public Path spoolDir() {
        return spoolDir;
    }

    @Override
    public BlobInfo put(String key, LocalBlob blob) {
        blobs.upload(key, blob.path(), blob.size(), blob.metadata(), config.accessTier(), false);
        return new BlobInfo(key, blob.size(), java.time.Instant.now(), config.accessTier().azureName(),
                blob.metadata());
    }

    @Override
    public InputStream open(String key) {
        return blobs.open(key);
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw StorageException.invalidInput("A byte range needs a non-negative offset and length.");
        }
        return length == 0 ? InputStream.nullInputStream() : blobs.openRange(key, offset, length);
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        return blobs.properties(key).map(p -> new BlobInfo(key, p.getBlobSize(),
                p.getLastModified() == null ? null : p.getLastModified().toInstant(),
                AzureAccessTier.fromSdk(p.getAccessTier()).azureName(), p.getMetadata()));
    }

    @Override
    public void delete(String key) {
        blobs.delete(key);
    }

    @Override
    public Stream<BlobInfo> list() {
        Iterable<BlobInfo> items = () -> blobs.iterate(naming.prefix());
        return StreamSupport.stream(items.spliterator(), false);
    }

    @Override
    public boolean carriesMetadata() {
        return true;
    }

    @Override
    public String describe() {
        return "azure:" + blobs.connection().where(naming.prefix());
    }

    /** True when the account answers with the right credentials and the container exists. */
    public boolean isConnected() {
        return blobs.reachable();
    }

    // ---- access tiers ------------------------------------------------------------------------------------

    /** Set Blob Tier on one blob. */
    public void setAccessTier(String key, AzureAccessTier tier) {
        blobs.setTier(key, Objects.requireNonNull(tier, "tier"), null);
    }

    /** The blob's tier as the service reports it now. */
    public AzureAccessTier accessTier(String key) {
        return AzureAccessTier.fromSdk(properties(key).getAccessTier());
    }

    @Override
    public String storageClass(String key) {
        return accessTier(key).azureName();
    }

    @Override
    public void changeStorageClass(String key, String storageClass) {
        setAccessTier(key, AzureAccessTier.parse(storageClass));
    }

    @Override
    public boolean isArchiveClass(String storageClass) {
        return AzureAccessTier.ARCHIVE.azureName().equalsIgnoreCase(storageClass == null ? "" : storageClass.trim());
    }

    /**
     * Rehydrates an Archive blob by setting it back to the configured tier (Hot when that is Archive) with a
     * rehydrate priority: EXPEDITED means High, the others Standard. Azure keeps no temporary copy, so
     * {@code days} does not apply: a rehydrated blob stays in its new tier. Idempotent.
     */
    @Override
    public RestoreStatus requestRestore(String key, int days, RestorePriority priority) {
        RestoreStatus now = AzureBlobs.restoreStatus(properties(key));
        if (now.state() != RestoreStatus.State.ARCHIVED) {
            return now;
        }
        AzureAccessTier target = config.accessTier() == AzureAccessTier.ARCHIVE ? AzureAccessTier.HOT
                : config.accessTier();
        RehydratePriority p = priority == RestorePriority.EXPEDITED ? RehydratePriority.HIGH
                : RehydratePriority.STANDARD;
        blobs.setTier(key, target, p);
        return AzureBlobs.restoreStatus(properties(key));
    }

    @Override
    public RestoreStatus restoreStatus(String key) {
        return AzureBlobs.restoreStatus(properties(key));
    }

    private BlobProperties properties(String key) {
        return blobs.properties(key).orElseThrow(() -> new StorageException(StorageException.Reason.NOT_FOUND,
                "The blob " + blobs.connection().where(key) + " is gone; run rebuild-index or verify."));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "azure-blob-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
