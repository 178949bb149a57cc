package org.pacs.storage.hsm;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.InstanceCatalog;

/** Policy-driven selection and claiming of migration candidates (the cycle itself is {@link org.pacs.storage.hsm.service.MigrationCycle}). */
final class HsmCycles {


    private final InstanceCatalog catalog;
    private final HsmTiers tiers;
    private final HsmStorageConfig config;
    private final Runnable flushAccess;

    HsmCycles(InstanceCatalog catalog, HsmTiers tiers, HsmStorageConfig config, Runnable flushAccess) {
        this.catalog = catalog;
        this.tiers = tiers;
        this.config = config;
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
}
