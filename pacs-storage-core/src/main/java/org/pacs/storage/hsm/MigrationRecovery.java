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
                    finishCommitted(e.instance(), e.migrationSource(), e.migrationTarget(), false);
                } else {
                    rollback(e.instance(), dest, MigrationState.COPIED);
                }
            }
            case COMMITTED -> finishCommitted(e.instance(), e.migrationSource(), e.tier(), e.hotCopy());
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
                if (e.hotCopy()) {
                    tiers.tier(StorageTier.HOT).delete(e.instance(), null); // its cache copy goes too
                }
                catalog.delete(uid);
            }
            // a recall never finished: the hot copy may be partial or unverified, and the home copy is untouched
            case RECALLING -> rollback(e.instance(), tiers.tier(StorageTier.HOT), MigrationState.RECALLING);
            case RELEASING -> finishRelease(e);
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
        if (dest.tier() == StorageTier.HOT) {
            // whatever hot held under the key (a cache copy included) is gone now, and the row must say so
            catalog.finishHotCopyChange(uid, config.nodeId(), from, false);
        } else {
            catalog.finish(uid, config.nodeId(), from);
        }
    }

    /**
     * Completes a release a crash interrupted: the home copy was confirmed before RELEASING was recorded, and no
     * migration or removal can touch the row while it is RELEASING, so the hot copy may go. Should the home copy
     * be gone after all (someone deleted it behind the archive's back), a hot copy still there is kept recorded:
     * never delete the only copy.
     */
    void finishRelease(CatalogEntry e) {
        SopInstanceUid uid = e.instance().sopInstanceUid();
        TierStore hot = tiers.tier(StorageTier.HOT);
        if (!HotRelease.homeHolds(tiers.tier(e.tier()), e.instance()) && hot.holds(e.instance())) {
            LOG.error("The {} copy of {} is missing; its hot copy is kept. Run verify.", e.tier(), uid);
            catalog.finishHotCopyChange(uid, config.nodeId(), MigrationState.RELEASING, true);
            return;
        }
        hot.delete(e.instance(), null);
        config.faultHook().reached("release-deleted");
        catalog.finishHotCopyChange(uid, config.nodeId(), MigrationState.RELEASING, false);
    }

    /**
     * The tier switch is committed: delete the source copy (when configured; a hot source recorded as a cache
     * copy stays) and return to NONE.
     */
    void finishCommitted(StoredInstance instance, StorageTier source, StorageTier committed, boolean hotCopy) {
        boolean cached = source == StorageTier.HOT && hotCopy;
        // a shared (in-place) store holds the only copy under both tiers: never delete it
        if (config.deleteAfterMigration() && !cached && source != null && !tiers.inPlace(source, committed)) {
            tiers.tier(source).delete(instance, null);
        }
        config.faultHook().reached("source-deleted");
        catalog.finishMigrated(instance.sopInstanceUid(), config.nodeId(), MigrationState.COMMITTED,
                instance.sizeBytes());
    }
}
