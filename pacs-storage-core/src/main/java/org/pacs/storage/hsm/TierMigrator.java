package org.pacs.storage.hsm;

import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.blob.SupportsArchiveClasses;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.catalog.MigrationState;

/**
 * The crash-safe move of one instance between tiers: the claim, the settling of a dead attempt, and the move
 * itself. A copy runs through {@link CopySteps} as a batch of one (the same state machine as a batch move); a
 * change of class in place is its own short sequence. Every step is recorded in the catalog before the next
 * begins, as a conditional update on this node's claim:
 * <pre>
 *   NONE → CHANGING_CLASS → (provider class changed in place) → COMMITTED → NONE
 * </pre>
 * (COPIED, the state a copy used to pass through, is still recovered for rows an older version left.)
 * A crash anywhere leaves a state {@link MigrationRecovery} finishes or undoes, so the instance stays readable
 * from the catalog's tier and no tier keeps a copy the catalog does not account for.
 */
final class TierMigrator {

    private final InstanceCatalog catalog;
    private final HsmTiers tiers;
    private final HsmStorageConfig config;
    private final UidLocks locks;
    private final MigrationRecovery recovery;
    private final LeaseKeeper leases;
    private final FaultHook faults;
    private final CopySteps steps;

    TierMigrator(InstanceCatalog catalog, HsmTiers tiers, HsmStorageConfig config, UidLocks locks,
                 LeaseKeeper leases) {
        this.faults = config.faultHook();
        this.catalog = catalog;
        this.tiers = tiers;
        this.config = config;
        this.locks = locks;
        this.leases = leases;
        this.recovery = new MigrationRecovery(catalog, tiers, config, this::lease);
        this.steps = new CopySteps(catalog, tiers, config, recovery, leases, this::lease);
    }

    CopySteps steps() {
        return steps;
    }

    MigrationRecovery recovery() {
        return recovery;
    }

    LeaseKeeper leases() {
        return leases;
    }

    Instant lease() {
        return leases.lease();
    }

    /**
     * Moves {@code uid} to {@code target}; returns false when it already lives there. Raises UNAVAILABLE when
     * another node holds a live claim on it, NOT_FOUND when it is not catalogued.
     */
    boolean migrate(SopInstanceUid uid, StorageTier target) {
        tiers.tier(target);
        ReentrantLock lock = locks.lockFor(uid);
        lock.lock();
        try {
            CatalogEntry entry = catalog.get(uid).orElseThrow(() -> StorageException.notFound(uid));
            if (entry.migrationState() == MigrationState.NONE) {
                if (entry.tier() == target) {
                    return false;
                }
                // common case: the first state write claims the row too (one durable write fewer)
                if (move(entry, target)) {
                    return true;
                }
            }
            return claimRecoverAndMove(uid, target);
        } catch (StorageException e) {
            if (e.reason() != StorageException.Reason.NOT_FOUND) {
                catalog.addToCounter(InstanceCatalog.MIGRATIONS_FAILED, 1);
            }
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** The slow path: the row is claimed or mid-migration; take the claim, settle any dead attempt, move. */
    private boolean claimRecoverAndMove(SopInstanceUid uid, StorageTier target) {
        String node = config.nodeId();
        if (!catalog.claim(uid, node, config.clock().instant(), lease())) {
            CatalogEntry e = catalog.get(uid).orElseThrow(() -> StorageException.notFound(uid));
            throw new StorageException(StorageException.Reason.UNAVAILABLE, "Instance " + uid
                    + " is being moved by node '" + e.claimOwner() + "' until " + e.leaseExpiry()
                    + "; retry after that.");
        }
        try {
            CatalogEntry entry = catalog.get(uid).orElseThrow(() -> StorageException.notFound(uid));
            if (entry.migrationState() != MigrationState.NONE) {
                recovery.recover(entry); // a dead attempt (ours before a restart, or an expired lease)
                if (entry.migrationState() == MigrationState.REMOVING) {
                    throw StorageException.notFound(uid);
                }
                entry = catalog.get(uid).orElseThrow(() -> StorageException.notFound(uid));
            }
            if (entry.tier() == target) {
                return false;
            }
            if (!move(entry, target)) {
                throw lostClaim(uid);
            }
            return true;
        } finally {
            catalog.release(uid, node); // no-op after a completed move, which released it already
        }
    }

    /** False when the first state write found the row claimed by someone else (nothing was done). */
    private boolean move(CatalogEntry entry, StorageTier target) {
        return tiers.inPlace(entry.tier(), target) ? changeClass(entry, target) : copy(entry, target);
    }

    /** A copy is a batch of one through {@link CopySteps}: one state machine for every move. */
    private boolean copy(CatalogEntry entry, StorageTier target) {
        SopInstanceUid uid = entry.instance().sopInstanceUid();
        MigrationOutcome out = new MigrationOutcome(() -> true);
        if (!steps.copyAll(java.util.List.of(entry), entry.tier(), target, out).isEmpty()) {
            return false; // its first step found the row claimed by someone else: nothing was done
        }
        StorageException failed = out.failed.get(uid);
        if (failed != null) {
            throw failed;
        }
        return out.moved.contains(uid);
    }

    private boolean changeClass(CatalogEntry entry, StorageTier target) {
        SopInstanceUid uid = entry.instance().sopInstanceUid();
        String node = config.nodeId();
        TierStore store = tiers.tier(target);
        SupportsArchiveClasses backend = store.requireArchive(uid);
        if (!catalog.beginMigration(uid, node, entry.tier(), target, MigrationState.CHANGING_CLASS,
                config.clock().instant(), lease())) {
            return false;
        }
        faults.reached("changing-class");
        try {
            backend.changeStorageClass(store.key(entry.instance()), tiers.storageClass(target));
        } catch (StorageException e) {
            recovery.recover(catalog.get(uid).orElseThrow(() -> StorageException.notFound(uid)));
            throw e;
        }
        faults.reached("class-changed");
        if (!catalog.commitTier(uid, node, MigrationState.CHANGING_CLASS, tiers.location(target),
                MigrationState.COMMITTED, lease())) {
            throw lostClaim(uid);
        }
        catalog.finishMigrated(uid, node, MigrationState.COMMITTED, entry.instance().sizeBytes());
        return true;
    }

    /** The error for a failed copy (the caller rolled it back); ARCHIVED passes through for the restore logic. */
    static StorageException copyFailure(SopInstanceUid uid, StorageTier from, StorageTier target, Exception e) {
        if (e instanceof StorageException se && se.reason() == StorageException.Reason.ARCHIVED) {
            return se;
        }
        if (TierSpace.outOfSpace(e)) {
            String t = target.name().toLowerCase();
            return new StorageException(StorageException.Reason.OUT_OF_SPACE, "Copying " + uid + " from " + from
                    + " to " + target + " failed: the " + t + " tier is full (" + e.getMessage() + "); it stays in "
                    + from + ". Raise tiers." + t + ".capacity or free space there, or add a tier.", e);
        }
        return new StorageException(e instanceof StorageException se ? se.reason()
                : StorageException.Reason.UNAVAILABLE, "Copying " + uid + " from " + from + " to "
                + target + " failed: " + e.getMessage() + "; it stays in " + from + ", retry later.", e);
    }

    static StorageException lostClaim(SopInstanceUid uid) {
        return new StorageException(StorageException.Reason.UNAVAILABLE, "Lost the migration claim on " + uid
                + " (its lease expired and another node took it over); that node finishes the move.");
    }
}
