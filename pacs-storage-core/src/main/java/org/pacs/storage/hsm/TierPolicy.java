package org.pacs.storage.hsm;

import java.time.Duration;
import java.util.Objects;
import org.pacs.storage.StorageException;

/**
 * Spec §5.1.2: when instances move down a tier. Ages count from the last access when one was recorded,
 * else from the store time.
 *
 * @param hotToWarm            idle time after which a hot instance moves to warm (default 30 days)
 * @param warmToCold           idle time after which a warm instance moves to cold (default 365 days); also the
 *                             threshold for hot → cold when no warm tier is configured
 * @param autoMigrate          false makes {@link HsmStorage#runMigrationCycle()} a no-op; explicit
 *                             {@link HsmStorage#migrate} calls still work
 * @param minMigrationSize     instances smaller than this many bytes are never candidates (default 0)
 * @param maxInstancesPerCycle at most this many migrations per cycle (default 100)
 * @param maxBytesPerCycle     at most this many bytes moved per cycle (default 10 GiB), using real sizes
 */
public record TierPolicy(Duration hotToWarm, Duration warmToCold, boolean autoMigrate, long minMigrationSize,
                         int maxInstancesPerCycle, long maxBytesPerCycle) {

    public static final TierPolicy DEFAULT = new TierPolicy(Duration.ofDays(30), Duration.ofDays(365), true, 0,
            100, 10L * 1024 * 1024 * 1024);

    public TierPolicy {
        Objects.requireNonNull(hotToWarm, "hotToWarm");
        Objects.requireNonNull(warmToCold, "warmToCold");
        if (hotToWarm.isNegative() || warmToCold.isNegative()) {
            throw StorageException.invalidInput("Tier policy ages must be zero or positive, got hot_to_warm="
                    + hotToWarm + " warm_to_cold=" + warmToCold + ".");
        }
        if (minMigrationSize < 0) {
            throw StorageException.invalidInput("min_migration_size must be >= 0, got " + minMigrationSize + ".");
        }
        if (maxInstancesPerCycle <= 0) {
            throw StorageException.invalidInput("max_instances_per_cycle must be > 0, got " + maxInstancesPerCycle
                    + ".");
        }
        if (maxBytesPerCycle <= 0) {
            throw StorageException.invalidInput("max_bytes_per_cycle must be > 0, got " + maxBytesPerCycle + ".");
        }
    }

    public static TierPolicy defaults() {
        return DEFAULT;
    }

    /** How long an instance must sit idle in {@code from} before moving to {@code to}; null if never by policy. */
    public Duration idleThreshold(StorageTier from, StorageTier to) {
        if (to.ordinal() <= from.ordinal()) {
            return null; // recalls are explicit, never by policy
        }
        if (from == StorageTier.HOT && to == StorageTier.WARM) {
            return hotToWarm;
        }
        return warmToCold;
    }

    public TierPolicy withHotToWarm(Duration v) {
        return new TierPolicy(v, warmToCold, autoMigrate, minMigrationSize, maxInstancesPerCycle, maxBytesPerCycle);
    }

    public TierPolicy withWarmToCold(Duration v) {
        return new TierPolicy(hotToWarm, v, autoMigrate, minMigrationSize, maxInstancesPerCycle, maxBytesPerCycle);
    }

    public TierPolicy withAutoMigrate(boolean v) {
        return new TierPolicy(hotToWarm, warmToCold, v, minMigrationSize, maxInstancesPerCycle, maxBytesPerCycle);
    }

    public TierPolicy withMinMigrationSize(long v) {
        return new TierPolicy(hotToWarm, warmToCold, autoMigrate, v, maxInstancesPerCycle, maxBytesPerCycle);
    }

    public TierPolicy withMaxInstancesPerCycle(int v) {
        return new TierPolicy(hotToWarm, warmToCold, autoMigrate, minMigrationSize, v, maxBytesPerCycle);
    }

    public TierPolicy withMaxBytesPerCycle(long v) {
        return new TierPolicy(hotToWarm, warmToCold, autoMigrate, minMigrationSize, maxInstancesPerCycle, v);
    }
}
