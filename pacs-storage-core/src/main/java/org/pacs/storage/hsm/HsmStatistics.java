package org.pacs.storage.hsm;

import java.util.EnumMap;
import java.util.Map;

/**
 * Per-tier occupancy from the catalog, and migration counters (persisted in the catalog, so they survive
 * restarts and sum over every node sharing it). Counts and bytes are by home tier; {@code hotCopies} and
 * {@code hotCopyBytes} are the cache copies hot keeps besides (watermark release, recall on read), so hot's
 * used bytes are {@link #usedBytes}. Capacities are -1 where a tier has none.
 */
public record HsmStatistics(Map<StorageTier, Long> instanceCounts, Map<StorageTier, Long> byteCounts,
                            long migrationsCompleted, long migrationsFailed, long hotCopies, long hotCopyBytes,
                            Map<StorageTier, Long> capacities, double highWatermark, double lowWatermark) {

    public HsmStatistics {
        instanceCounts = complete(instanceCounts);
        byteCounts = complete(byteCounts);
        capacities = Map.copyOf(capacities == null ? Map.of() : capacities);
    }

    /** Without cache copies or capacities (the default watermarks). */
    public HsmStatistics(Map<StorageTier, Long> instanceCounts, Map<StorageTier, Long> byteCounts,
                         long migrationsCompleted, long migrationsFailed) {
        this(instanceCounts, byteCounts, migrationsCompleted, migrationsFailed, 0, 0, Map.of(),
                SpaceConfig.DEFAULT_HIGH_WATERMARK, SpaceConfig.DEFAULT_LOW_WATERMARK);
    }

    /** Bytes the tier holds: its home instances, and for hot also the cache copies. */
    public long usedBytes(StorageTier tier) {
        return bytes(tier) + (tier == StorageTier.HOT ? hotCopyBytes : 0);
    }

    /** The tier's capacity in bytes, or -1 when it has none. */
    public long capacity(StorageTier tier) {
        return capacities.getOrDefault(tier, -1L);
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
