package org.pacs.storage.hsm;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.pacs.storage.IntegrityReport;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageStatistics;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.BlobBacked;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.dicom.DicomDataset;

/**
 * A single-backend storage (spec §2: FileStorage, S3Storage, AzureBlobStorage) as what it is underneath: one
 * blob store plus a catalog, the only index. It is an {@link HsmStorage} of one hot tier, so every store, read,
 * find and check follows the one path the archive uses. The catalog is opened on first use, so the same object
 * can serve as a tier of a larger HSM (which uses only {@link #blobStore()} and its own catalog) without
 * creating a catalog it would never use.
 */
public abstract class CataloguedStorage implements StorageBackend, BlobBacked,
        org.pacs.storage.SupportsStoredHeaders {

    private final BlobStore blobs;
    private final Supplier<InstanceCatalog> catalog;
    private final HsmStorageConfig config;
    private final boolean catalogIsNew;
    private HsmStorage storage;
    private boolean closed;

    /**
     * @param catalogIsNew true when {@code catalog} will create its database: a new catalog over a store that
     *                     already holds instances (made by an older version, another process's catalog, a lost
     *                     one) is rebuilt from the store once, at first use
     */
    protected CataloguedStorage(BlobStore blobs, Supplier<InstanceCatalog> catalog, HsmStorageConfig config,
                                boolean catalogIsNew) {
        this.blobs = blobs;
        this.catalog = catalog;
        this.catalogIsNew = catalogIsNew;
        // one tier: access times drive no policy here; a restore is billed, so the caller asks for it
        this.config = config.withTrackAccessTime(false).withRestoreOnRead(false);
    }

    @Override
    public final BlobStore blobStore() {
        return blobs;
    }

    /** Group commit's counts since the catalog opened. */
    public IngestStatistics ingestStatistics() {
        return storage().ingestStatistics();
    }

    /** The storage behind this backend, opening its catalog on first use. */
    protected final synchronized HsmStorage storage() {
        if (closed) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE, getClass().getSimpleName()
                    + " is closed; open a new one.");
        }
        if (storage == null) {
            Map<StorageTier, BlobStore> tiers = new EnumMap<>(StorageTier.class);
            tiers.put(StorageTier.HOT, blobs);
            storage = new HsmStorage(tiers, catalog.get(), config);
            if (catalogIsNew) {
                rebuildIfTheStoreHoldsInstances(storage);
            }
        }
        return storage;
    }

    private void rebuildIfTheStoreHoldsInstances(HsmStorage storage) {
        try (java.util.stream.Stream<org.pacs.storage.blob.BlobInfo> any = blobs.list()) {
            if (any.findAny().isEmpty()) {
                return;
            }
        } catch (StorageException e) {
            // unreachable now: the operation at hand reports that itself; the catalog stays as it is
            org.slf4j.LoggerFactory.getLogger(getClass()).warn("Could not list {} to catalogue what it already"
                    + " holds ({}); run rebuild-index once it is reachable", blobs.describe(), e.getMessage());
            return;
        }
        org.slf4j.LoggerFactory.getLogger(getClass()).info("{} holds instances but its catalog is new;"
                + " cataloguing them from the store", blobs.describe());
        storage.rebuildCatalog();
    }

    @Override
    public StoredInstance store(DicomDataset dataset) {
        return storage().store(dataset);
    }

    @Override
    public StoredInstance store(Path file) {
        return storage().store(file);
    }

    @Override
    public StoredInstance store(InputStream in) {
        return storage().store(in);
    }

    @Override
    public DicomDataset retrieve(SopInstanceUid uid) {
        return storage().retrieve(uid);
    }

    @Override
    public InputStream open(SopInstanceUid uid) {
        return storage().open(uid);
    }

    /** One ranged read of the stored bytes. */
    @Override
    public InputStream open(SopInstanceUid uid, long offset, long length) {
        return storage().open(uid, offset, length);
    }

    @Override
    public Optional<org.pacs.storage.StoredHeader> storedHeader(SopInstanceUid uid) {
        return storage().storedHeader(uid);
    }

    @Override
    public Map<SopInstanceUid, org.pacs.storage.StoredHeader> storedHeaders(String studyInstanceUid,
                                                                             String seriesInstanceUid) {
        return storage().storedHeaders(studyInstanceUid, seriesInstanceUid);
    }

    @Override
    public Optional<StoredInstance> describe(SopInstanceUid uid) {
        return storage().describe(uid);
    }

    @Override
    public void remove(SopInstanceUid uid) {
        storage().remove(uid);
    }

    @Override
    public boolean exists(SopInstanceUid uid) {
        return storage().exists(uid);
    }

    @Override
    public List<DicomDataset> find(DicomDataset query) {
        return storage().find(query);
    }

    @Override
    public List<DicomDataset> find(DicomDataset query, int limit, int offset) {
        return storage().find(query, limit, offset);
    }

    @Override
    public List<StoredInstance> list() {
        return storage().list();
    }

    @Override
    public StorageStatistics statistics() {
        return storage().statistics();
    }

    @Override
    public IntegrityReport verifyIntegrity() {
        return storage().verifyIntegrity();
    }

    /** Rebuilds the catalog from the store's listing and blob metadata. */
    public CatalogRebuilder.Result rebuildIndex() {
        return storage().rebuildCatalog();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (storage != null) {
            storage.close(); // closes the blob store and the catalog
        } else {
            blobs.close();
        }
    }
}
