package org.pacs.storage.hsm;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.pacs.storage.StorageException;

/**
 * Space management of the tiers (DMF, SAM-QFS and dcm4chee's deleter thresholds work the same way).
 *
 * @param release       {@link ReleaseMode#IMMEDIATE}: a migration deletes its hot source once the copy is verified
 *                      and committed (the old {@code delete_after_migration: true}); {@link ReleaseMode#WATERMARK}:
 *                      the hot copy stays as a recorded cache copy and is released only when the hot tier passes
 *                      {@code highWatermark} of its capacity, oldest access first, down to {@code lowWatermark}
 * @param highWatermark fraction of the hot tier's capacity above which a release pass runs (default 0.90)
 * @param lowWatermark  fraction a release pass brings the hot tier down to (default 0.80)
 * @param capacities    per tier, its capacity in bytes; a file tier without one has its file system's size, an
 *                      object-store tier without one has no limit
 * @param recallOnRead  a read of an instance in warm or cold copies it back to hot in the background, as a cache
 *                      copy (its home tier stays where it is)
 */
public record SpaceConfig(ReleaseMode release, double highWatermark, double lowWatermark,
                          Map<StorageTier, Long> capacities, boolean recallOnRead) {

    /** What happens to the hot copy of an instance a migration moved. */
    public enum ReleaseMode { IMMEDIATE, WATERMARK }

    public static final double DEFAULT_HIGH_WATERMARK = 0.90;
    public static final double DEFAULT_LOW_WATERMARK = 0.80;
    public static final SpaceConfig DEFAULTS = new SpaceConfig(ReleaseMode.IMMEDIATE, DEFAULT_HIGH_WATERMARK,
            DEFAULT_LOW_WATERMARK, Map.of(), false);

    public SpaceConfig {
        Objects.requireNonNull(release, "release");
        if (!(highWatermark > 0 && highWatermark <= 1)) {
            throw StorageException.invalidInput("high-watermark must be above 0 and at most 1 (or 100%), got "
                    + highWatermark + ".");
        }
        if (!(lowWatermark >= 0 && lowWatermark < highWatermark)) {
            throw StorageException.invalidInput("low-watermark must be at least 0 and below the high-watermark ("
                    + highWatermark + "), got " + lowWatermark + ".");
        }
        EnumMap<StorageTier, Long> c = new EnumMap<>(StorageTier.class);
        if (capacities != null) {
            capacities.forEach((t, v) -> {
                if (v == null || v <= 0) {
                    throw StorageException.invalidInput("The capacity of the " + t.name().toLowerCase()
                            + " tier must be a positive size (e.g. 500GiB), got " + v + ".");
                }
                c.put(t, v);
            });
        }
        capacities = Map.copyOf(c);
    }

    public boolean watermark() {
        return release == ReleaseMode.WATERMARK;
    }

    public SpaceConfig withRelease(ReleaseMode v) {
        return new SpaceConfig(v, highWatermark, lowWatermark, capacities, recallOnRead);
    }

    public SpaceConfig withWatermarks(double high, double low) {
        return new SpaceConfig(release, high, low, capacities, recallOnRead);
    }

    public SpaceConfig withCapacity(StorageTier tier, long bytes) {
        EnumMap<StorageTier, Long> m = new EnumMap<>(StorageTier.class);
        m.putAll(capacities);
        m.put(tier, bytes);
        return new SpaceConfig(release, highWatermark, lowWatermark, m, recallOnRead);
    }

    public SpaceConfig withRecallOnRead(boolean v) {
        return new SpaceConfig(release, highWatermark, lowWatermark, capacities, v);
    }
}
