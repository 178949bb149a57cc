package org.pacs.storage.hsm;

import java.io.InputStream;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.catalog.CatalogAttributes;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.dicom.DicomReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog side of a store: the hot backend has taken the bytes; this records the instance (query
 * attributes, size, SHA-256, store time) and settles a duplicate against the copy the catalog already has.
 */
final class HsmIngest {

    private static final Logger LOG = LoggerFactory.getLogger(HsmIngest.class);

    private final InstanceCatalog catalog;
    private final HsmTiers tiers;
    private final HsmStorageConfig config;
    private final UidLocks locks;
    private final TierMigrator migrator;

    HsmIngest(InstanceCatalog catalog, HsmTiers tiers, HsmStorageConfig config, UidLocks locks,
              TierMigrator migrator) {
        this.catalog = catalog;
        this.tiers = tiers;
        this.config = config;
        this.locks = locks;
        this.migrator = migrator;
    }

    StoredInstance catalogue(StoredInstance stored, Map<Integer, String> knownAttributes) {
        SopInstanceUid uid = stored.sopInstanceUid();
        // the catalog's clock (injectable, millisecond precision) dates the instance for the tier policy
        StoredInstance s = new StoredInstance(uid, stored.studyInstanceUid(), stored.seriesInstanceUid(),
                stored.sopClassUid(), stored.transferSyntaxUid(), stored.sizeBytes(), stored.sha256(),
                config.clock().instant().truncatedTo(ChronoUnit.MILLIS));
        Map<Integer, String> attrs = knownAttributes != null ? knownAttributes : headerAttributes(uid);
        CatalogEntry fresh = CatalogEntry.stored(s, attrs, StorageTier.HOT, tiers.location(StorageTier.HOT));
        ReentrantLock lock = locks.lockFor(uid);
        lock.lock();
        try {
            if (catalog.insert(fresh)) {
                return s;
            }
            CatalogEntry existing = catalog.get(uid).orElseThrow(() -> StorageException.notFound(uid));
            boolean identical = existing.instance().sha256().equals(s.sha256());
            if (existing.tier() == StorageTier.HOT || tiers.inPlace(StorageTier.HOT, existing.tier())) {
                // the hot backend saw the duplicate itself and applied its policy; follow what it kept
                if (identical || catalog.replace(fresh)) {
                    return identical ? existing.instance() : s;
                }
                throw busy(uid);
            }
            return new HsmDuplicates(catalog, tiers, config, migrator::lease).colderDuplicate(existing, fresh);
        } finally {
            lock.unlock();
        }
    }

    private static StorageException busy(SopInstanceUid uid) {
        return new StorageException(StorageException.Reason.UNAVAILABLE, "Instance " + uid + " is being moved"
                + " between tiers; store it again once the move is done.");
    }

    private Map<Integer, String> headerAttributes(SopInstanceUid uid) {
        try (InputStream in = tiers.backend(StorageTier.HOT).open(uid)) {
            return CatalogAttributes.of(DicomReader.readHeader(in).dataset());
        } catch (Exception e) {
            // the hot backend accepted the file, so its UIDs are known; only the optional query keys are lost
            LOG.warn("Could not read the header of {} for the catalog; it is findable by UID only: {}", uid,
                    e.getMessage());
            return Map.of();
        }
    }
}
