package org.pacs.storage.azure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.pacs.storage.ArchivalBackend;
import org.pacs.storage.QueryLevel;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.hsm.CataloguedStorage;
import org.pacs.storage.hsm.HsmStorageConfig;

/**
 * DES-STOR-006: DICOM instances as block blobs in one Azure container (or Azurite). One {@link AzureBlobStore}
 * plus a catalog, the only index: an embedded SQLite file in the spool directory, named after the container and
 * prefix (an archive uses its own shared catalog instead). Opening checks the container and loads nothing; a
 * catalog created over a container that already holds instances is rebuilt from the blobs' metadata once.
 */
public final class AzureBlobStorage extends CataloguedStorage implements ArchivalBackend {

    private final AzureBlobStore blobs;

    /** Spools to {@code pacs-azure-spool} under java.io.tmpdir. */
    public AzureBlobStorage(AzureStorageConfig config) {
        this(config, Path.of(System.getProperty("java.io.tmpdir"), "pacs-azure-spool"));
    }

    public AzureBlobStorage(AzureStorageConfig config, Path spoolDir) {
        this(new AzureBlobStore(config, spoolDir), catalogFile(config, spoolDir));
    }

    private AzureBlobStorage(AzureBlobStore blobs, Path catalog) {
        super(blobs, () -> JdbcInstanceCatalog.sqlite(catalog), HsmStorageConfig.defaults()
                .withDuplicatePolicy(blobs.config().duplicatePolicy()), !Files.exists(catalog));
        this.blobs = blobs;
    }

    static Path catalogFile(AzureStorageConfig config, Path spoolDir) {
        String name = (config.containerName() + "-" + config.blobPrefix()).replaceAll("[^A-Za-z0-9._-]", "_");
        return spoolDir.toAbsolutePath().resolve(".pacs-catalog-" + name + ".db");
    }

    public AzureStorageConfig config() {
        return blobs.config();
    }

    /** True when the account answers with the right credentials and the container exists. */
    public boolean isConnected() {
        return blobs.isConnected();
    }

    // ---- tiers ----------------------------------------------------------------------------------------

    /** Set Blob Tier on one instance. */
    public void setAccessTier(SopInstanceUid uid, AzureAccessTier tier) {
        blobs.setAccessTier(keyOf(uid), Objects.requireNonNull(tier, "tier"));
    }

    /**
     * Set Blob Tier on every instance of an instance (IMAGE), series or study UID as the catalog knows them;
     * returns how many blobs were set. PATIENT is refused: patient IDs are not unique across issuers.
     */
    public int setAccessTier(QueryLevel level, String uid, AzureAccessTier tier) {
        Objects.requireNonNull(tier, "tier");
        String v = SopInstanceUid.requireValidUid(uid, level + " UID");
        List<StoredInstance> targets = switch (level) {
            case IMAGE -> List.of(describe(SopInstanceUid.of(v)).orElseThrow(
                    () -> StorageException.notFound(SopInstanceUid.of(v))));
            case SERIES -> list().stream().filter(i -> i.seriesInstanceUid().equals(v)).toList();
            case STUDY -> list().stream().filter(i -> i.studyInstanceUid().equals(v)).toList();
            case PATIENT -> throw StorageException.invalidInput("Access tiers are set per instance, series or"
                    + " study; give one of those UIDs.");
        };
        if (targets.isEmpty()) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, "No stored instance belongs to "
                    + level.name().toLowerCase(java.util.Locale.ROOT) + " " + v + "; check the UID with 'find'.");
        }
        for (StoredInstance i : targets) {
            blobs.setAccessTier(blobs.keyFor(i), tier);
        }
        return targets.size();
    }

    /** The blob's tier as the service reports it now. */
    public AzureAccessTier accessTier(SopInstanceUid uid) {
        return blobs.accessTier(keyOf(uid));
    }

    @Override
    public String storageClass(SopInstanceUid uid) {
        return blobs.storageClass(keyOf(uid));
    }

    @Override
    public void changeStorageClass(SopInstanceUid uid, String storageClass) {
        blobs.changeStorageClass(keyOf(uid), storageClass);
    }

    @Override
    public boolean isArchiveClass(String storageClass) {
        return blobs.isArchiveClass(storageClass);
    }

    @Override
    public RestoreStatus requestRestore(SopInstanceUid uid, int days, RestorePriority priority) {
        return blobs.requestRestore(keyOf(uid), days, priority);
    }

    @Override
    public RestoreStatus restoreStatus(SopInstanceUid uid) {
        return blobs.restoreStatus(keyOf(uid));
    }

    private String keyOf(SopInstanceUid uid) {
        return blobs.keyFor(describe(uid).orElseThrow(() -> StorageException.notFound(uid)));
    }
}
