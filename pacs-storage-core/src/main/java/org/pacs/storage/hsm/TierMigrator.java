package org.pacs.storage.hsm;

import java.io.IOException;
import java.io.InputStream;
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
 * The crash-safe move of one instance between tiers. Every step is recorded in the catalog before the next
 * begins, as a conditional update on this node's claim:
 * <pre>
 *   NONE → COPYING → (stream source → target) → COPIED → (verify SHA-256) → COMMITTED (tier switched)
 *        → (delete source) → NONE
 *   NONE → CHANGING_CLASS → (provider class changed in place) → COMMITTED → NONE
 * </pre>
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

    TierMigrator(InstanceCatalog catalog, HsmTiers tiers, HsmStorageConfig config, UidLocks locks,
                 LeaseKeeper leases) {
        this.faults = config.faultHook();
        this.catalog = catalog;
        this.tiers = tiers;
        this.config = config;
        this.locks = locks;
        this.leases = leases;
        this.recovery = new MigrationRecovery(catalog, tiers, config, this::lease);
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

    private boolean copy(CatalogEntry entry, StorageTier target) {
        SopInstanceUid uid = entry.instance().sopInstanceUid();
        String node = config.nodeId();
        TierStore source = tiers.tier(entry.tier());
        TierStore dest = tiers.tier(target);
        faults.reached("before-begin");
        if (!catalog.beginMigration(uid, node, entry.tier(), target, MigrationState.COPYING,
                config.clock().instant(), lease())) {
            return false;
        }
        faults.reached("copying");
        StoredInstance copied;
        try (LeaseKeeper.Held held = leases.hold(java.util.List.of(uid), MigrationState.COPYING);
             InputStream in = source.open(entry.instance())) {
            copied = dest.copyIn(in, entry.instance(), null);
        } catch (IOException | StorageException e) {
            recovery.rollback(entry.instance(), dest, MigrationState.COPYING);
            throw copyFailure(uid, entry.tier(), target, e);
        }
        faults.reached("copied");
        if (!catalog.advance(uid, node, MigrationState.COPYING, MigrationState.COPIED, lease())) {
            throw lostClaim(uid);
        }
        faults.reached("before-verify");
        StorageException corrupt = verify(entry, target, dest, copied);
        if (corrupt != null) {
            recovery.rollback(entry.instance(), dest, MigrationState.COPIED);
            throw corrupt;
        }
        faults.reached("verified");
        if (!catalog.commitTier(uid, node, MigrationState.COPIED, tiers.location(target),
                MigrationState.COMMITTED, lease())) {
            throw lostClaim(uid);
        }
        faults.reached("committed");
        recovery.finishCommitted(entry.instance(), entry.tier(), target);
        faults.reached("finished");
        return true;
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
        return new StorageException(e instanceof StorageException se ? se.reason()
                : StorageException.Reason.UNAVAILABLE, "Copying " + uid + " from " + from + " to "
                + target + " failed: " + e.getMessage() + "; it stays in " + from + ", retry later.", e);
    }

    /**
     * Null when the copy holds the catalog's bytes: the SHA-256 the spooler computed while receiving them, and,
     * when verify_after_migration is on, the target's own confirmation (a checksum it computed, or a re-read);
     * otherwise the CORRUPT error to raise once the copy is rolled back.
     */
    StorageException verify(CatalogEntry entry, StorageTier target, TierStore dest, StoredInstance copied) {
        SopInstanceUid uid = entry.instance().sopInstanceUid();
        String expected = entry.instance().sha256();
        boolean received = expected.equals(copied.sha256()) && copied.sizeBytes() == entry.instance().sizeBytes();
        if (received && (!config.verifyAfterMigration() || dest.verify(entry.instance()))) {
            return null;
        }
        return new StorageException(StorageException.Reason.CORRUPT, "The copy of " + uid + " in " + target
                + (received ? " does not match at the target" : " has SHA-256 " + copied.sha256())
                + " but the catalog records " + expected + "; the copy was removed"
                + " and the instance stays in " + entry.tier() + ". Check the " + target + " store.");
    }

    static StorageException lostClaim(SopInstanceUid uid) {
        return new StorageException(StorageException.Reason.UNAVAILABLE, "Lost the migration claim on " + uid
                + " (its lease expired and another node took it over); that node finishes the move.");
    }
}
