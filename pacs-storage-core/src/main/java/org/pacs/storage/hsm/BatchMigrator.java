package org.pacs.storage.hsm;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.SupportsBatchedDurability.BlobBatch;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.catalog.MigrationState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves many instances to one tier with {@link TierMigrator}'s state machine, but each step for the whole batch at
 * once: one catalog transaction per state change and one {@link BlobBatch} per store, so the durable flushes
 * (catalog commit, directory and index syncs) are paid per batch rather than per instance. The order of durable
 * effects is the single path's: COPYING recorded → target copy durable → SHA-256 checked → tier committed →
 * source removed durably → NONE. A crash anywhere leaves rows that {@link MigrationRecovery} settles as usual.
 * Instances that are claimed, mid-migration or changed in place take the single path.
 */
final class BatchMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(BatchMigrator.class);


    /** Bounds how long a batch holds its claims before committing (LeaseKeeper renews them while copies run). */
    static final int MAX_BATCH = 64;

    private final InstanceCatalog catalog;
    private final HsmTiers tiers;
    private final HsmStorageConfig config;
    private final UidLocks locks;
    private final TierMigrator single;
    private final ArchiveRestores restores;
    private final FaultHook faults;

    BatchMigrator(InstanceCatalog catalog, HsmTiers tiers, HsmStorageConfig config, UidLocks locks,
                  TierMigrator single, ArchiveRestores restores) {
        this.catalog = catalog;
        this.tiers = tiers;
        this.config = config;
        this.locks = locks;
        this.single = single;
        this.restores = restores;
        this.faults = config.faultHook();
    }

    /** Moves {@code uids}; once {@code proceed} turns false, no further copy starts (those are unchanged). */
    MigrationBatchResult migrate(List<SopInstanceUid> uids, StorageTier target, BooleanSupplier proceed) {
        tiers.tier(target);
        Outcome out = new Outcome(proceed);
        for (int i = 0; i < uids.size(); i += MAX_BATCH) {
            List<SopInstanceUid> chunk = uids.subList(i, Math.min(uids.size(), i + MAX_BATCH));
            if (!proceed.getAsBoolean()) {
                out.unchanged.addAll(chunk);
                continue;
            }
            try {
                migrateChunk(chunk, target, out);
            } catch (StorageException e) {
                // the catalog or a backend failed for the whole step (e.g. the database is down): what was settled
                // before keeps its outcome, the rest is reported failed; recovery settles any row left mid-way
                chunk.stream().filter(u -> !out.settled(u)).forEach(u -> out.failed.put(u, e));
            }
        }
        if (!out.failed.isEmpty()) {
            try {
                long counted = out.failed.values().stream()
                        .filter(e -> e.reason() != StorageException.Reason.NOT_FOUND).count() - out.countedSingly;
                catalog.addToCounter(InstanceCatalog.MIGRATIONS_FAILED, counted);
                // as a single move does: an archived source gets its restore requested, and the error says so
                out.failed.replaceAll((uid, e) -> restores.ifArchived(e, uid, catalog, tiers));
            } catch (StorageException e) {
                LOG.warn("Could not record {} failed migrations: {}", out.failed.size(), e.getMessage());
            }
        }
        return new MigrationBatchResult(out.moved, out.unchanged, out.failed);
    }

    private void migrateChunk(List<SopInstanceUid> uids, StorageTier target, Outcome out) {
        List<SopInstanceUid> busy = migrateLocked(uids, target, out);
        if (!busy.isEmpty()) { // their stripes were held, mostly by a sibling batch that has likely finished
            moveSingly(migrateLocked(busy, target, out), target, out);
        }
    }

    /** Batch-moves the UIDs whose locks are free now; returns the others (locks busy) for the caller. */
    private List<SopInstanceUid> migrateLocked(List<SopInstanceUid> uids, StorageTier target, Outcome out) {
        List<ReentrantLock> held = new ArrayList<>();
        List<SopInstanceUid> locked = locks.tryLockEach(uids, held);
        Set<SopInstanceUid> busy = new LinkedHashSet<>(uids);
        locked.forEach(busy::remove);
        List<SopInstanceUid> singly = new ArrayList<>();
        try {
            Map<StorageTier, List<CatalogEntry>> bySource = new EnumMap<>(StorageTier.class);
            Map<SopInstanceUid, CatalogEntry> rows = catalog.getAll(locked);
            for (SopInstanceUid uid : locked) {
                CatalogEntry e = rows.get(uid);
                if (e == null || (e.migrationState() == MigrationState.NONE && e.tier() == target)) {
                    out.unchanged.add(uid);
                } else if (e.migrationState() == MigrationState.NONE && !tiers.inPlace(e.tier(), target)) {
                    bySource.computeIfAbsent(e.tier(), t -> new ArrayList<>()).add(e);
                } else {
                    singly.add(uid);
                }
            }
            bySource.forEach((source, entries) -> singly.addAll(copyAll(entries, source, target, out)));
        } finally {
            held.forEach(ReentrantLock::unlock);
        }
        moveSingly(singly, target, out);
        return List.copyOf(busy);
    }

    /** The single path, for instances a batch cannot take (claimed, mid-migration, changed in place, busy). */
    private void moveSingly(List<SopInstanceUid> uids, StorageTier target, Outcome out) {
        for (SopInstanceUid uid : uids) {
            if (!out.proceed.getAsBoolean()) {
                out.unchanged.add(uid);
                continue;
            }
            try {
                (single.migrate(uid, target) ? out.moved : out.unchanged).add(uid);
            } catch (StorageException e) {
                out.failed.put(uid, e);
                out.countedSingly += e.reason() != StorageException.Reason.NOT_FOUND ? 1 : 0; // counted there
            }
        }
    }

    /** Runs the batch state machine; returns the instances whose first step found them claimed elsewhere. */
    private List<SopInstanceUid> copyAll(List<CatalogEntry> entries, StorageTier source, StorageTier target,
                                         Outcome out) {
        String node = config.nodeId();
        entries.forEach(e -> faults.reached("before-begin"));
        List<SopInstanceUid> elsewhere = new ArrayList<>();
        List<CatalogEntry> begun = catalog.atomically(() -> {
            List<CatalogEntry> ok = new ArrayList<>();
            for (CatalogEntry e : entries) {
                if (catalog.beginMigration(uid(e), node, source, target, MigrationState.COPYING,
                        config.clock().instant(), single.lease())) {
                    ok.add(e);
                } else {
                    elsewhere.add(uid(e));
                }
            }
            return ok;
        });
        Map<CatalogEntry, StoredInstance> copied = copy(begun, source, target, out);
        List<CatalogEntry> verified = new ArrayList<>();
        copied.forEach((e, copy) -> {
            faults.reached("before-verify");
            StorageException corrupt = single.verify(e, target, tiers.tier(target), copy);
            if (corrupt == null) {
                verified.add(e);
                faults.reached("verified");
            } else {
                rollback(e, target);
                out.failed.put(uid(e), corrupt);
            }
        });
        List<CatalogEntry> committed = catalog.atomically(() -> {
            List<CatalogEntry> ok = new ArrayList<>();
            for (CatalogEntry e : verified) {
                if (catalog.commitTier(uid(e), node, MigrationState.COPYING, tiers.location(target),
                        MigrationState.COMMITTED, single.lease())) {
                    ok.add(e);
                } else {
                    out.failed.put(uid(e), TierMigrator.lostClaim(uid(e)));
                }
            }
            return ok;
        });
        committed.forEach(e -> faults.reached("committed"));
        finish(committed, source, target, out);
        return elsewhere;
    }

    /** Streams each source copy into one target batch and makes it durable; what failed is rolled back. */
    private Map<CatalogEntry, StoredInstance> copy(List<CatalogEntry> begun, StorageTier source, StorageTier target,
                                                   Outcome out) {
        Map<CatalogEntry, StoredInstance> copied = new LinkedHashMap<>();
        List<CatalogEntry> notStarted = new ArrayList<>();
        TierStore from = tiers.tier(source);
        TierStore dest = tiers.tier(target);
        try (LeaseKeeper.Held held = single.leases().hold(begun.stream().map(BatchMigrator::uid).toList(),
                MigrationState.COPYING); BlobBatch to = dest.batch()) {
            for (CatalogEntry e : begun) {
                if (!out.proceed.getAsBoolean()) {
                    notStarted.add(e);
                    continue;
                }
                faults.reached("copying");
                try (InputStream in = from.open(e.instance())) {
                    copied.put(e, dest.copyIn(in, e.instance(), to));
                    faults.reached("copied");
                } catch (IOException | StorageException ex) {
                    rollback(e, target);
                    out.failed.put(uid(e), TierMigrator.copyFailure(uid(e), source, target, ex));
                }
            }
        } catch (StorageException commitFailed) {
            // none of the copies is known durable: every one goes back
            copied.keySet().forEach(e -> {
                rollback(e, target);
                out.failed.put(uid(e), TierMigrator.copyFailure(uid(e), source, target, commitFailed));
            });
            return Map.of();
        } finally {
            if (!notStarted.isEmpty()) { // asked to stop: these go back untouched (nothing was written for them)
                catalog.atomically(() -> {
                    notStarted.forEach(e -> catalog.finish(uid(e), config.nodeId(), MigrationState.COPYING));
                    return null;
                });
                notStarted.forEach(e -> out.unchanged.add(uid(e)));
            }
        }
        return copied;
    }

    /** Removes the source copies in one batch, then returns the rows to NONE in one transaction. */
    private void finish(List<CatalogEntry> committed, StorageTier source, StorageTier target, Outcome out) {
        List<CatalogEntry> done = new ArrayList<>(committed);
        if (config.deleteAfterMigration() && !committed.isEmpty()) {
            TierStore src = tiers.tier(source);
            try (BlobBatch from = src.batch()) {
                for (CatalogEntry e : committed) {
                    try {
                        src.delete(e.instance(), from);
                    } catch (StorageException ex) {
                        if (ex.reason() != StorageException.Reason.NOT_FOUND) {
                            // committed in the target; the row stays COMMITTED and recovery deletes the source
                            done.remove(e);
                            out.failed.put(uid(e), ex);
                        }
                    }
                }
            } catch (StorageException commitFailed) {
                done.forEach(e -> out.failed.put(uid(e), commitFailed));
                return; // rows stay COMMITTED: recovery removes the sources again
            }
        }
        done.forEach(e -> faults.reached("source-deleted"));
        catalog.atomically(() -> {
            long bytes = 0;
            int moved = 0;
            for (CatalogEntry e : done) {
                if (catalog.finish(uid(e), config.nodeId(), MigrationState.COMMITTED)) {
                    out.moved.add(uid(e));
                    moved++;
                    bytes += e.instance().sizeBytes();
                } else {
                    out.failed.put(uid(e), TierMigrator.lostClaim(uid(e)));
                }
            }
            // the counters once per batch, in the same transaction as the rows they count
            catalog.addToCounter(InstanceCatalog.MIGRATIONS_COMPLETED, moved);
            catalog.addToCounter(InstanceCatalog.MIGRATED_BYTES, bytes);
            return null;
        });
        done.forEach(e -> faults.reached("finished"));
    }

    private void rollback(CatalogEntry e, StorageTier target) {
        single.recovery().rollback(e.instance(), tiers.tier(target), MigrationState.COPYING);
    }

    private static SopInstanceUid uid(CatalogEntry e) {
        return e.instance().sopInstanceUid();
    }

    private static final class Outcome {
        final BooleanSupplier proceed;
        final List<SopInstanceUid> moved = new ArrayList<>();
        final List<SopInstanceUid> unchanged = new ArrayList<>();
        final Map<SopInstanceUid, StorageException> failed = new LinkedHashMap<>();
        int countedSingly;

        boolean settled(SopInstanceUid uid) {
            return failed.containsKey(uid) || moved.contains(uid) || unchanged.contains(uid);
        }

        Outcome(BooleanSupplier proceed) {
            this.proceed = proceed;
        }
    }
}
