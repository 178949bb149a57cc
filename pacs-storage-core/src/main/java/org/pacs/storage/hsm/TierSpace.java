package org.pacs.storage.hsm;

import java.io.IOException;
import java.nio.file.Files;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import org.pacs.storage.StorageException;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.file.FileBlobStore;

/**
 * What each tier holds against its capacity. Used bytes come from the catalog (the home rows of a tier, plus the
 * cache copies for hot); the exact sum is a scan, so a store checks an estimate instead: the last exact figure plus
 * what was stored since, refreshed by every release pass and {@link #used}. Opening computes nothing, so it stays
 * constant-time; until the first figure exists, stores are not held back (the file system's ENOSPC remains).
 */
final class TierSpace {

    private final InstanceCatalog catalog;
    private final HsmTiers tiers;
    private final SpaceConfig config;
    private final Map<StorageTier, AtomicLong> estimates = new EnumMap<>(StorageTier.class);
    /**
     * A file tier's file system size, read once and again after each exact refresh ({@link #used}): finding the
     * file store of a path reads the whole mount table, which cost more per store than the check it serves.
     */
    private final Map<StorageTier, AtomicLong> fileSystemSizes = new EnumMap<>(StorageTier.class);

    TierSpace(InstanceCatalog catalog, HsmTiers tiers, SpaceConfig config) {
        this.catalog = catalog;
        this.tiers = tiers;
        this.config = config;
        for (StorageTier t : StorageTier.values()) {
            estimates.put(t, new AtomicLong(-1)); // unknown until first computed
            fileSystemSizes.put(t, new AtomicLong(-1));
        }
    }

    SpaceConfig config() {
        return config;
    }

    /** The configured capacity, else a file tier's file system size; empty for an object store without one. */
    OptionalLong capacity(StorageTier tier) {
        Long configured = config.capacities().get(tier);
        if (configured != null) {
            return OptionalLong.of(configured);
        }
        if (tiers.has(tier) && tiers.blobs(tier) instanceof FileBlobStore f) {
            AtomicLong known = fileSystemSizes.get(tier);
            long size = known.get();
            if (size < 0) {
                try {
                    size = Files.getFileStore(f.root()).getTotalSpace();
                } catch (IOException e) {
                    return OptionalLong.empty();
                }
                known.set(size);
            }
            return OptionalLong.of(size);
        }
        return OptionalLong.empty();
    }

    /** Exact bytes a tier holds by the catalog (hot: its own rows and the cache copies); refreshes the estimate. */
    long used(StorageTier tier) {
        InstanceCatalog.TierUsage home = catalog.tierUsage().get(tier);
        long bytes = home == null ? 0 : home.bytes();
        if (tier == StorageTier.HOT) {
            bytes += catalog.hotCopyUsage().bytes();
        }
        estimates.get(tier).set(bytes);
        fileSystemSizes.get(tier).set(-1); // read again at the next check: a file system may have been resized
        return bytes;
    }

    /** The estimate, or -1 when none was computed yet. */
    long estimate(StorageTier tier) {
        return estimates.get(tier).get();
    }

    void added(StorageTier tier, long bytes) {
        estimates.get(tier).accumulateAndGet(bytes, (v, b) -> v < 0 ? v : v + b);
    }

    void removed(StorageTier tier, long bytes) {
        estimates.get(tier).accumulateAndGet(bytes, (v, b) -> v < 0 ? v : Math.max(0, v - b));
    }

    /** True when hot is known to be above its high watermark. */
    boolean hotAboveHigh() {
        long used = estimate(StorageTier.HOT);
        if (used < 0) {
            return false; // no figure yet: nothing to compare, and no reason to look up the capacity
        }
        OptionalLong cap = capacity(StorageTier.HOT);
        return cap.isPresent() && used > config.highWatermark() * cap.getAsLong();
    }

    /** OUT_OF_SPACE when {@code bytes} more would take {@code tier} past its capacity (by the estimate). */
    void checkRoom(StorageTier tier, long bytes) {
        long used = estimate(tier);
        if (used < 0) {
            return;
        }
        OptionalLong cap = capacity(tier);
        if (cap.isPresent() && used + bytes > cap.getAsLong()) {
            throw full(tier, "it holds " + used + " of its " + cap.getAsLong() + " bytes and this instance needs "
                    + bytes, null);
        }
    }

    /** The one message of a full tier: which tier, why, and what to do. */
    StorageException full(StorageTier tier, String why, Throwable cause) {
        String name = tier.name().toLowerCase();
        return new StorageException(StorageException.Reason.OUT_OF_SPACE, "The " + name + " tier ("
                + tiers.blobs(tier).describe() + ") is full: " + why + ". Nothing was stored. Raise tiers." + name
                + ".capacity or free space, run 'pacs-storage release' to drop hot copies kept as a cache, or add a"
                + " tier.", cause);
    }

    /** True when {@code e} (or a cause) is a file system's ENOSPC or quota error, or already OUT_OF_SPACE. */
    static boolean outOfSpace(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StorageException se && se.reason() == StorageException.Reason.OUT_OF_SPACE) {
                return true;
            }
            String m = t.getMessage();
            if (t instanceof IOException && m != null && (m.contains("No space left")
                    || m.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
