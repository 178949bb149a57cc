package org.pacs.storage.hsm;

import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.catalog.CatalogAttributes;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.catalog.MigrationState;
import org.pacs.storage.spool.DuplicateAction;
import org.pacs.storage.spool.SpooledInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store: the duplicate policy decided against the catalog (the only index), the spooled bytes put in hot,
 * then the directory and the catalog row made durable with the other stores of its group ({@link GroupCommit}).
 * The key is in this process's {@link IngestIntents} from before the put until the commit, so a process that
 * dies between them leaves a whole blob the next open catalogues; never a row without its bytes.
 */
final class HsmIngest {

    private static final Logger LOG = LoggerFactory.getLogger(HsmIngest.class);

    private final InstanceCatalog catalog;
    private final HsmTiers tiers;
    private final HsmStorageConfig config;
    private final UidLocks locks;
    private final TierMigrator migrator;
    private final GroupCommit group;
    private final IngestIntents intents;

    HsmIngest(InstanceCatalog catalog, HsmTiers tiers, HsmStorageConfig config, UidLocks locks,
              TierMigrator migrator, GroupCommit group, IngestIntents intents) {
        this.group = group;
        this.intents = intents;
        this.catalog = catalog;
        this.tiers = tiers;
        this.config = config;
        this.locks = locks;
        this.migrator = migrator;
    }

    StoredInstance store(SpooledInstance s) {
        StoredInstance spooled = s.instance();
        SopInstanceUid uid = spooled.sopInstanceUid();
        // the catalog's clock (injectable, millisecond precision) dates the instance for the tier policy
        StoredInstance stamped = spooled.withStoredAt(config.clock().instant().truncatedTo(ChronoUnit.MILLIS));
        Map<Integer, String> attrs = CatalogAttributes.of(s.attributes());
        CatalogEntry fresh = CatalogEntry.stored(stamped, attrs, StorageTier.HOT, tiers.location(StorageTier.HOT),
                s.storedHeader().orElse(null)); // the kept header commits with the row, in its group's transaction
        TierStore hot = tiers.tier(StorageTier.HOT);
        ReentrantLock lock = locks.lockFor(uid);
        lock.lock();
        try {
            CatalogEntry existing = catalog.get(uid).orElse(null);
            if (existing == null) {
                // the file is forced before its rename; its directory and its row are made durable with the
                // other stores of its group, and only then does this store return
                // the key goes to this process's journal first: a death before the commit leaves it there, and
                // the next open catalogues the whole blob instead of leaving an orphan
                int slot = intents.begin(hot.key(stamped));
                boolean added;
                try {
                    org.pacs.storage.blob.SupportsBatchedDurability.BlobBatch blobs = hot.batch();
                    hot.put(s, stamped, blobs);
                    config.faultHook().reached("ingest-put"); // forced and renamed, not yet committed
                    added = group.commit(fresh, blobs);
                } finally {
                    intents.end(slot);
                }
                if (added) {
                    return stamped;
                }
                // another process catalogued the same UID meanwhile: decide against its row
                existing = catalog.get(uid).orElseThrow(() -> busy(uid));
            }
            DuplicateAction action = DuplicateAction.decide(config.duplicatePolicy(), existing.instance(),
                    stamped.sha256());
            if (action == DuplicateAction.KEEP_EXISTING) {
                return existing.instance();
            }
            return replace(existing, fresh, s);
        } finally {
            lock.unlock();
        }
    }

    /**
     * REPLACE of a different instance under the same UID: the new bytes go to hot and the row is rewritten under
     * this node's claim (so no migration runs meanwhile); only then does the old copy go, when it sat elsewhere.
     */
    private StoredInstance replace(CatalogEntry existing, CatalogEntry fresh, SpooledInstance s) {
        SopInstanceUid uid = existing.instance().sopInstanceUid();
        if (!catalog.claim(uid, config.nodeId(), config.clock().instant(), migrator.lease())) {
            throw busy(uid);
        }
        try {
            CatalogEntry now = catalog.get(uid).orElseThrow(() -> busy(uid));
            if (now.migrationState() != MigrationState.NONE) {
                throw busy(uid);
            }
            TierStore hot = tiers.tier(StorageTier.HOT);
            hot.put(s, fresh.instance(), null);
            if (!catalog.replace(fresh)) {
                throw busy(uid);
            }
            TierStore old = tiers.tier(now.tier());
            boolean sameBlob = (now.tier() == StorageTier.HOT || tiers.inPlace(StorageTier.HOT, now.tier()))
                    && old.key(now.instance()).equals(hot.key(fresh.instance()));
            if (!sameBlob) {
                try {
                    old.delete(now.instance(), null);
                } catch (StorageException e) {
                    LOG.warn("Could not remove the replaced {} copy of {}: {}", now.tier(), uid, e.getMessage());
                }
            }
            if (now.hotCopy() && !hot.key(now.instance()).equals(hot.key(fresh.instance()))) {
                hot.delete(now.instance(), null); // the old hot cache copy, under its old key (the row forgot it)
            }
            return fresh.instance();
        } finally {
            catalog.release(uid, config.nodeId());
        }
    }

    private static StorageException busy(SopInstanceUid uid) {
        return new StorageException(StorageException.Reason.UNAVAILABLE, "Instance " + uid + " is being moved"
                + " or stored by another process; store it again once that is done.");
    }
}
