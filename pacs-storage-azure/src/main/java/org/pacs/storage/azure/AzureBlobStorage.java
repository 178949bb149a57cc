package org.pacs.storage.azure;

import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.RehydratePriority;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.pacs.storage.ArchivalBackend;
import org.pacs.storage.QueryLevel;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.index.AbstractIndexedBackend;
import org.pacs.storage.index.IndexEntry;
import org.pacs.storage.index.InstanceMetadata;
import org.pacs.storage.query.QueryMatcher;
import org.pacs.storage.spool.InstanceSpooler;
import org.pacs.storage.spool.SpooledInstance;

/**
 * DES-STOR-006: DICOM instances as block blobs in one Azure container (or Azurite), on the Azure SDK for Java.
 * Ingest, duplicate policy, index and queries come from {@link AbstractIndexedBackend}; this class moves bytes
 * and manages access tiers. Opening it checks the container and rebuilds the index from the blob listing, so
 * a restarted process (or a second one) sees what is stored.
 * <p>Thread-safe. Memory per upload is a few small buffers whatever the instance size: bytes are spooled to
 * disk and blocks are streamed from there.
 */
public final class AzureBlobStorage extends AbstractIndexedBackend implements ArchivalBackend {

    /** Chunk size of streamed reads: one ranged GET per this many bytes. */
    static final int READ_BLOCK_SIZE = 4 * 1024 * 1024;

    private final AzureStorageConfig config;
    private final BlobNaming naming;
    private final AzureBlobs blobs;
    private final ExecutorService pool;

    /** Spools to {@code pacs-azure-spool} under java.io.tmpdir. */
    public AzureBlobStorage(AzureStorageConfig config) {
        this(config, new InstanceSpooler(Path.of(System.getProperty("java.io.tmpdir"), "pacs-azure-spool")));
    }

    public AzureBlobStorage(AzureStorageConfig config, InstanceSpooler spooler) {
        super(spooler, config.duplicatePolicy(), QueryMatcher.DEFAULT);
        this.config = config;
        this.naming = new BlobNaming(config.blobPrefix(), config.hashedLayout());
        AzureConnection conn = AzureConnection.open(config);
        // Unbounded on purpose: each upload (and the rebuild) caps its own in-flight requests at max-concurrency,
        // as the spec asks per upload; a shared fixed pool would cap all concurrent uploads together instead.
        // Blocks stream from the spool file, so more threads cost no block-sized buffers.
        this.pool = Executors.newCachedThreadPool(daemonThreads());
        this.blobs = new AzureBlobs(conn, new BlockUploader(config.blockUploadThreshold(), config.blockSize(),
                config.maxConcurrency(), pool), READ_BLOCK_SIZE);
        try {
            blobs.checkContainer(config.createContainer());
            rebuildIndex();
        } catch (RuntimeException e) {
            pool.shutdownNow();
            throw e;
        }
    }

    public AzureStorageConfig config() {
        return config;
    }

    /** True when the account answers with the right credentials and the container exists. */
    public boolean isConnected() {
        return blobs.reachable();
    }

    /**
     * Replaces the index with what the container holds: one listing with metadata, then for each instance a
     * ranged read of its header bytes for the query attributes (Archive blobs cannot be read, so they are
     * indexed by their metadata alone). Blobs without this backend's metadata are left out; verifyIntegrity
     * reports them as orphans. Returns the number of instances indexed.
     */
    public int rebuildIndex() {
        ensureOpen();
        List<IndexEntry> entries = new IndexRebuilder(blobs, naming, pool, config.maxConcurrency()).scan();
        index().clear();
        index().putAll(entries);
        return entries.size();
    }

    // ---- bytes ----------------------------------------------------------------------------------------

    @Override
    protected void writeObject(SpooledInstance source, StoredInstance previous) {
        StoredInstance inst = source.instance();
        String name = objectKey(inst);
        long headerLength = TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.equals(inst.transferSyntaxUid())
                ? 0 : DicomReader.readHeader(source.path()).headerLength();
        // Unconditional only when replacing on purpose; otherwise a writer in another process that stored
        // the same UID meanwhile makes this one fail with ALREADY_EXISTS instead of being overwritten.
        boolean ifAbsent = previous == null && duplicatePolicy() != org.pacs.storage.DuplicatePolicy.REPLACE;
        try {
            blobs.upload(name, source.path(), inst, headerLength, config.accessTier(), ifAbsent);
        } catch (StorageException e) {
            if (!ifAbsent || e.reason() != StorageException.Reason.ALREADY_EXISTS || !sameBytesStored(name, inst)
                    || duplicatePolicy() == org.pacs.storage.DuplicatePolicy.REJECT) {
                throw e;
            }
            // Another process stored the very same bytes first: for the ignoring policies that is a resend.
        }
        if (previous != null && !objectKey(previous).equals(name)) {
            // Same SOP UID under another study or series: the old name would otherwise linger as an orphan.
            blobs.delete(objectKey(previous));
        }
    }

    private boolean sameBytesStored(String name, StoredInstance incoming) {
        return blobs.properties(name).flatMap(p -> InstanceMetadata.decode(p.getMetadata(), p.getBlobSize(), null))
                .map(stored -> stored.sha256().equals(incoming.sha256())).orElse(false);
    }

    @Override
    protected InputStream readObject(StoredInstance instance) {
        return blobs.open(objectKey(instance));
    }

    @Override
    protected void deleteObject(StoredInstance instance) {
        blobs.delete(objectKey(instance));
    }

    @Override
    protected String objectKey(StoredInstance instance) {
        return naming.blobName(instance.studyInstanceUid(), instance.seriesInstanceUid(), instance.sopInstanceUid());
    }

    @Override
    protected Set<String> listObjectKeys() {
        Set<String> names = new HashSet<>();
        blobs.list(naming.prefix(), item -> names.add(item.getName()));
        return names;
    }

    @Override
    protected void closeResources() {
        pool.shutdownNow();
    }

    // ---- tiers ----------------------------------------------------------------------------------------

    /** Set Blob Tier on one instance. */
    public void setAccessTier(SopInstanceUid uid, AzureAccessTier tier) {
        ensureOpen();
        blobs.setTier(objectKey(require(uid)), Objects.requireNonNull(tier, "tier"), null);
    }

    /**
     * Set Blob Tier on every instance of an instance (IMAGE), series or study UID as the index knows them;
     * returns how many blobs were set. PATIENT is refused: patient IDs are not unique across issuers.
     */
    public int setAccessTier(QueryLevel level, String uid, AzureAccessTier tier) {
        ensureOpen();
        Objects.requireNonNull(tier, "tier");
        String v = SopInstanceUid.requireValidUid(uid, level + " UID");
        List<StoredInstance> targets = switch (level) {
            case IMAGE -> List.of(require(SopInstanceUid.of(v)));
            case SERIES -> index().list().stream().filter(i -> i.seriesInstanceUid().equals(v)).toList();
            case STUDY -> index().list().stream().filter(i -> i.studyInstanceUid().equals(v)).toList();
            case PATIENT -> throw StorageException.invalidInput("Access tiers are set per instance, series or"
                    + " study; give one of those UIDs.");
        };
        if (targets.isEmpty()) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, "No stored instance belongs to "
                    + level.name().toLowerCase(java.util.Locale.ROOT) + " " + v + "; check the UID with 'find'.");
        }
        for (StoredInstance i : targets) {
            blobs.setTier(objectKey(i), tier, null);
        }
        return targets.size();
    }

    /** The blob's tier as the service reports it now. */
    public AzureAccessTier accessTier(SopInstanceUid uid) {
        return AzureAccessTier.fromSdk(properties(uid).getAccessTier());
    }

    @Override
    public String storageClass(SopInstanceUid uid) {
        return accessTier(uid).azureName();
    }

    @Override
    public void changeStorageClass(SopInstanceUid uid, String storageClass) {
        setAccessTier(uid, AzureAccessTier.parse(storageClass));
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
    public RestoreStatus requestRestore(SopInstanceUid uid, int days, RestorePriority priority) {
        ensureOpen();
        RestoreStatus now = AzureBlobs.restoreStatus(properties(uid));
        if (now.state() != RestoreStatus.State.ARCHIVED) {
            return now;
        }
        AzureAccessTier target = config.accessTier() == AzureAccessTier.ARCHIVE ? AzureAccessTier.HOT
                : config.accessTier();
        RehydratePriority p = priority == RestorePriority.EXPEDITED ? RehydratePriority.HIGH
                : RehydratePriority.STANDARD;
        blobs.setTier(objectKey(require(uid)), target, p);
        return AzureBlobs.restoreStatus(properties(uid));
    }

    @Override
    public RestoreStatus restoreStatus(SopInstanceUid uid) {
        ensureOpen();
        return AzureBlobs.restoreStatus(properties(uid));
    }

    private BlobProperties properties(SopInstanceUid uid) {
        ensureOpen();
        String name = objectKey(require(uid));
        return blobs.properties(name).orElseThrow(() -> new StorageException(StorageException.Reason.NOT_FOUND,
                "Instance " + uid + " is indexed but its blob is gone at " + blobs.connection().where(name)
                        + "; run rebuildIndex or verifyIntegrity."));
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
