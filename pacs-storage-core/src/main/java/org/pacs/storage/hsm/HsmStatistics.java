package org.pacs.storage.hsm;

import java.util.EnumMap;
import java.util.Map;

/**
 * Per-tier occupancy from the catalog, and migration counters (persisted in the catalog, so they survive
 * restarts and sum over every node sharing it).
 */
public record HsmStatistics(Map<StorageTier, Long> instanceCounts, Map<StorageTier, Long> byteCounts,
                            long migrationsCompleted, long migrationsFailed) {

    public HsmStatistics {
        instanceCounts = complete(instanceCounts);
        byteCounts = complete(byteCounts);
    }

    private static Map<StorageTier, Long> complete(Map<StorageTier, Long> in) {
        EnumMap<StorageTier, Long> m = new EnumMap<>(StorageTier.class);
        for (StorageTier t : StorageTier.values()) {
            m.put(t, in.getOrDefault(t, 0L));
        }
        return Map.copyOf(m);
    }

    public long count(StorageTier tier) {
        return instanceCounts.get(tier);
    }

    public long bytes(StorageTier tier) {
        return byteCounts.get(tier);
    }

    public long totalInstances() {
        return instanceCounts.values().stream().mapToLong(Long::longValue).sum();
    }

    public long totalBytes() {
        return byteCounts.values().stream().mapToLong(Long::longValue).sum();
    }
}
