package org.pacs.storage.hsm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.InstanceCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Policy-driven selection, claiming and the sequential migration cycle. */
final class HsmCycles {

    private static final Logger LOG = LoggerFactory.getLogger(HsmCycles.class);

    private final InstanceCatalog catalog;
    private final HsmTiers tiers;
    private final HsmStorageConfig config;
    private final BiFunction<List<SopInstanceUid>, StorageTier, MigrationBatchResult> migrate;
    private final Runnable flushAccess;

    HsmCycles(InstanceCatalog catalog, HsmTiers tiers, HsmStorageConfig config,
              BiFunction<List<SopInstanceUid>, StorageTier, MigrationBatchResult> migrate, Runnable flushAccess) {
        this.catalog = catalog;
        this.tiers = tiers;
        this.config = config;
        this.migrate = migrate;
        this.flushAccess = flushAccess;
    }

    List<TierMetadata> candidates(StorageTier from, StorageTier to, int limit) {
        Duration threshold = config.policy().idleThreshold(from, to);
        if (threshold == null || !tiers.has(from) || !tiers.has(to) || limit <= 0) {
            return List.of();
        }
        flushAccess.run(); // so recent reads count before anything is judged idle
        Instant now = config.clock().instant();
        List<TierMetadata> out = new ArrayList<>();
        for (CatalogEntry e : catalog.candidates(from, now.minus(threshold), config.policy().minMigrationSize(),
                limit, now)) {
            out.add(e.toTierMetadata());
        }
        return out;
    }

    ClaimedBatch claim(int maxInstances, long maxBytes) {
        flushAccess.run();
        Instant now = config.clock().instant();
        Instant lease = now.plus(config.claimLease());
        List<MigrationTask> tasks = new ArrayList<>();
        int skipped = 0;
        long bytes = 0;
        for (StorageTier[] dir : tiers.policyDirections()) {
            int remaining = maxInstances - tasks.size();
            if (remaining <= 0) {
                break;
            }
            Duration threshold = config.policy().idleThreshold(dir[0], dir[1]);
            List<CatalogEntry> claimed = catalog.claimCandidates(dir[0], now.minus(threshold),
                    config.policy().minMigrationSize(), remaining, config.nodeId(), now, lease);
            for (CatalogEntry e : claimed) {
                long size = e.instance().sizeBytes();
                if (bytes + size > maxBytes) {
                    catalog.release(e.instance().sopInstanceUid(), config.nodeId());
                    skipped++;
                } else {
                    tasks.add(new MigrationTask(e.toTierMetadata(), dir[1]));
                    bytes += size;
                }
            }
        }
        return new ClaimedBatch(tasks, skipped);
    }

    MigrationResult run() {
        if (!config.policy().autoMigrate()) {
            return MigrationResult.EMPTY;
        }
        long start = System.nanoTime();
        ClaimedBatch batch = claim(config.policy().maxInstancesPerCycle(), config.policy().maxBytesPerCycle());
        long migrated = 0;
        long bytes = 0;
        long skipped = batch.skipped();
        List<SopInstanceUid> failed = new ArrayList<>();
        // one batch per target tier: its durable steps are paid once for all of its instances
        Map<StorageTier, Map<SopInstanceUid, Long>> byTarget = new LinkedHashMap<>();
        for (MigrationTask t : batch.tasks()) {
            byTarget.computeIfAbsent(t.target(), k -> new LinkedHashMap<>())
                    .put(t.metadata().sopInstanceUid(), t.metadata().sizeBytes());
        }
        for (Map.Entry<StorageTier, Map<SopInstanceUid, Long>> group : byTarget.entrySet()) {
            MigrationBatchResult done = migrate.apply(List.copyOf(group.getValue().keySet()), group.getKey());
            migrated += done.moved().size();
            bytes += done.moved().stream().mapToLong(group.getValue()::get).sum();
            skipped += done.unchanged().size();
            for (Map.Entry<SopInstanceUid, StorageException> f : done.failed().entrySet()) {
                if (f.getValue().reason() == StorageException.Reason.NOT_FOUND) {
                    skipped++; // removed since it was selected
                } else {
                    failed.add(f.getKey());
                    LOG.warn("Migration of {} to {} failed: {}", f.getKey(), group.getKey(), f.getValue().getMessage());
                }
            }
        }
        MigrationResult r = new MigrationResult(migrated, bytes, Duration.ofNanos(System.nanoTime() - start),
                failed, skipped);
        LOG.info("HSM cycle: {} migrated ({} bytes), {} failed, {} skipped in {} ms", migrated, bytes,
                failed.size(), skipped, r.duration().toMillis());
        return r;
    }
}
