package org.pacs.storage.hsm;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.blob.SupportsArchiveClasses;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.catalog.MigrationState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes or undoes what a crashed (or lease-expired) migration or removal left in the catalog. Each rule only
 * ever deletes a copy the catalog's committed tier does not name, so recovery can never lose an instance, and
 * every rule is idempotent, so a crash during recovery is recovered the same way at the next start.
 */
final class MigrationRecovery {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationRecovery.class);

    private final InstanceCatalog catalog;
    private final HsmTiers tiers;
    private final HsmStorageConfig config;
    private final Supplier<Instant> lease;

    MigrationRecovery(InstanceCatalog catalog, HsmTiers tiers, HsmStorageConfig config, Supplier<Instant> lease) {
        this.catalog = catalog;
        this.tiers = tiers;
        this.config = config;
        this.lease = lease;
    }

    /**
     * Recovers every unfinished row whose claim is free: {@code ownerToReclaim}'s (this node after a restart),
     * unclaimed ones, and expired leases. Returns how many rows were handled.
     */
    int recoverUnfinished(String ownerToReclaim, UidLocks locks) {
        List<CatalogEntry> rows = catalog.unfinished(ownerToReclaim, config.clock().instant());
        int done = 0;
        for (CatalogEntry row : rows) {
            SopInstanceUid uid = row.instance().sopInstanceUid();
            var lock = locks.lockFor(uid);
            lock.lock();
            try {
                if (!catalog.claim(uid, config.nodeId(), config.clock().instant(), lease.get())) {
                    continue; // another node got there first
                }
                catalog.get(uid).ifPresent(this::recover);
                catalog.release(uid, config.nodeId());
                done++;
            } catch (StorageException e) {
                LOG.warn("Could not recover {} ({}), will retry at the next recovery: {}", uid,
                        row.migrationState(), e.getMessage());
            } finally {
                lock.unlock();
            }
        }
        if (done > 0) {
            LOG.info("Recovered {} unfinished migrations or removals", done);
        }
        return done;
    }

    /** Brings one row (claimed by this node) back to NONE or removes it. */
    void recover(CatalogEntry e) {
        SopInstanceUid uid = e.instance().sopInstanceUid();
        switch (e.migrationState()) {
            case NONE -> { }
            case COPYING -> rollback(e.instance(), tiers.tier(e.migrationTarget()), MigrationState.COPYING);
            case COPIED -> {
                TierStore dest = tiers.tier(e.migrationTarget());
                if (dest.verify(e.instance()) && catalog.commitTier(uid, config.nodeId(),
                        MigrationState.COPIED, tiers.location(e.migrationTarget()), MigrationState.COMMITTED,
                        lease.get())) {
                    finishCommitted(e.instance(), e.migrationSource(), e.migrationTarget());
                } else {
                    rollback(e.instance(), dest, MigrationState.COPIED);
                }
            }
            case COMMITTED -> finishCommitted(e.instance(), e.migrationSource(), e.tier());
            case CHANGING_CLASS -> {
                TierStore t = tiers.tier(e.migrationTarget());
                SupportsArchiveClasses b = t.requireArchive(uid);
                String key = t.key(e.instance());
                String wanted = tiers.storageClass(e.migrationTarget());
                if (wanted.equalsIgnoreCase(b.storageClass(key)) && catalog.commitTier(uid, config.nodeId(),
                        MigrationState.CHANGING_CLASS, tiers.location(e.migrationTarget()),
                        MigrationState.COMMITTED, lease.get())) {
                    catalog.finishMigrated(uid, config.nodeId(), MigrationState.COMMITTED, e.instance().sizeBytes());
                } else {
                    b.changeStorageClass(key, tiers.storageClass(e.migrationSource()));
                    catalog.finish(uid, config.nodeId(), MigrationState.CHANGING_CLASS);
                }
            }
            case REMOVING -> {
                tiers.tier(e.tier()).delete(e.instance(), null);
                catalog.delete(uid);
            }
            default -> throw new IllegalStateException(e.migrationState().name());
        }
    }

    /**
     * Undoes an uncommitted copy (the source was never touched): removes the target's copy and returns the row
     * to NONE, but only while this node still holds the row in {@code from}. Renewing the lease checks that and
     * keeps every other node off the row while the copy goes. A node whose lease ran out and whose row another
     * node took over leaves the target alone: the new owner may since have committed that very copy and deleted
     * the source, so removing it could remove the only one. At worst an uncommitted copy stays behind for
     * verify to report.
     */
    void rollback(StoredInstance instance, TierStore dest, MigrationState from) {
        SopInstanceUid uid = instance.sopInstanceUid();
        if (!catalog.advance(uid, config.nodeId(), from, from, lease.get())) {
            LOG.warn("The migration of {} lost its claim to another node; its copy in the target is left to"
                    + " that node", uid);
            return;
        }
        dest.delete(instance, null);
        catalog.finish(uid, config.nodeId(), from);
    }

    /** The tier switch is committed: delete the source copy (when configured) and return to NONE. */
    void finishCommitted(StoredInstance instance, StorageTier source, StorageTier committed) {
        // a shared (in-place) store holds the only copy under both tiers: never delete it
        if (config.deleteAfterMigration() && source != null && !tiers.inPlace(source, committed)) {
            tiers.tier(source).delete(instance, null);
        }
        config.faultHook().reached("source-deleted");
        catalog.finishMigrated(instance.sopInstanceUid(), config.nodeId(), MigrationState.COMMITTED,
                instance.sizeBytes());
    }
}
