package org.pacs.storage.hsm;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
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
    private final CopySteps steps;
    private final ArchiveRestores restores;

    BatchMigrator(InstanceCatalog catalog, HsmTiers tiers, HsmStorageConfig config, UidLocks locks,
                  TierMigrator single, ArchiveRestores restores) {
        this.catalog = catalog;
        this.tiers = tiers;
        this.config = config;
        this.locks = locks;
        this.single = single;
        this.restores = restores;
        this.steps = single.steps();
    }

    /** Moves {@code uids}; once {@code proceed} turns false, no further copy starts (those are unchanged). */
    MigrationBatchResult migrate(List<SopInstanceUid> uids, StorageTier target, BooleanSupplier proceed) {
        tiers.tier(target);
        MigrationOutcome out = new MigrationOutcome(proceed);
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

    private void migrateChunk(List<SopInstanceUid> uids, StorageTier target, MigrationOutcome out) {
        List<SopInstanceUid> busy = migrateLocked(uids, target, out);
        if (!busy.isEmpty()) { // their stripes were held, mostly by a sibling batch that has likely finished
            moveSingly(migrateLocked(busy, target, out), target, out);
        }
    }

    /** Batch-moves the UIDs whose locks are free now; returns the others (locks busy) for the caller. */
    private List<SopInstanceUid> migrateLocked(List<SopInstanceUid> uids, StorageTier target, MigrationOutcome out) {
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
            bySource.forEach((source, entries) -> singly.addAll(steps.copyAll(entries, source, target, out)));
        } finally {
            held.forEach(ReentrantLock::unlock);
        }
        moveSingly(singly, target, out);
        return List.copyOf(busy);
    }

    /** The single path, for instances a batch cannot take (claimed, mid-migration, changed in place, busy). */
    private void moveSingly(List<SopInstanceUid> uids, StorageTier target, MigrationOutcome out) {
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

}
