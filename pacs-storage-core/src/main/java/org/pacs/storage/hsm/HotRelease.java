package org.pacs.storage.hsm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.time.Instant;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.BlobInfo;
import org.pacs.storage.blob.SupportsBatchedDurability.BlobBatch;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.catalog.MigrationState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The release pass: when hot holds more than the high watermark of its capacity, hot cache copies (instances whose
 * home is warm or cold) are deleted, least recently used first, until hot is at or below the low watermark.
 * <p>Per chunk of rows, in this order:
 * <ol>
 *   <li>the home tier's copy is confirmed (present, catalogued size): a copy whose home cannot be confirmed is
 *       kept, so the pass never deletes the only copy;</li>
 *   <li>NONE → RELEASING recorded, claiming each row (one transaction): from here reads use the home copy, and no
 *       migration or removal can touch the row;</li>
 *   <li>the hot copies deleted (one durable batch);</li>
 *   <li>RELEASING → NONE with hot_copy cleared (one transaction).</li>
 * </ol>
 * Why every instance stays readable after a crash at any step: before (2) nothing changed; between (2) and (4)
 * the row is RELEASING, reads go to the home copy (confirmed in (1), protected by the claim), and the next open
 * finishes the release ({@link MigrationRecovery#finishRelease}: delete again, idempotent, then clear); after (4)
 * the row names only the home copy. A read that looked up the row just before (2) and opens the hot copy after (3)
 * gets NOT_FOUND and looks again, finding the home tier. Recording the release before deleting (rather than
 * clearing hot_copy first) is what keeps verify clean: a copy deleted-but-still-recorded cannot happen, and a
 * copy no-longer-recorded-but-present is accounted for by the RELEASING row until recovery removes it.
 * <p>One pass at a time per storage; {@link #trigger()} runs one in the background (space pressure at a store).
 */
final class HotRelease implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HotRelease.class);
    /** Rows per chunk: two catalog commits and one directory sync per chunk, claims held only while it deletes. */
    static final int CHUNK = 256;
    /** Bounds the rows one pass steps over (kept or busy), and with it the pass's memory. */
    private static final int MAX_SKIPPED = 10_000;

    private final InstanceCatalog catalog;
    private final HsmTiers tiers;
    private final HsmStorageConfig config;
    private final TierSpace space;
    private final UidLocks locks;
    private final Supplier<Instant> lease;
    private final FaultHook faults;
    private final ReentrantLock passLock = new ReentrantLock();
    private final AtomicBoolean queued = new AtomicBoolean();
    private final ExecutorService background;

    HotRelease(InstanceCatalog catalog, HsmTiers tiers, HsmStorageConfig config, TierSpace space, UidLocks locks,
               Supplier<Instant> lease) {
        this.catalog = catalog;
        this.tiers = tiers;
        this.config = config;
        this.space = space;
        this.locks = locks;
        this.lease = lease;
        this.faults = config.faultHook();
        // one daemon thread, nothing queued behind the one pass waiting: a trigger while one waits is a no-op
        this.background = new java.util.concurrent.ThreadPoolExecutor(0, 1, 30, java.util.concurrent.TimeUnit.SECONDS,
                new java.util.concurrent.SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "hsm-release");
                    t.setDaemon(true);
                    return t;
                }, new java.util.concurrent.ThreadPoolExecutor.DiscardPolicy());
    }

    /** Starts a pass in the background unless one is running or about to; never blocks the caller. */
    void trigger() {
        if (!queued.compareAndSet(false, true)) {
            return;
        }
        try {
            background.execute(() -> {
                try {
                    pass();
                } catch (RuntimeException e) {
                    LOG.warn("A release pass triggered by space pressure failed: {}", e.getMessage());
                } finally {
                    queued.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            queued.set(false);
        }
    }

    /** One pass on the calling thread, after any pass already running. */
    ReleaseResult pass() {
        passLock.lock();
        try {
            return run();
        } finally {
            passLock.unlock();
        }
    }

    private ReleaseResult run() {
        long t0 = System.nanoTime();
        SpaceConfig c = space.config();
        OptionalLong capacity = space.capacity(StorageTier.HOT);
        long used = space.used(StorageTier.HOT);
        if (capacity.isEmpty() || used <= c.highWatermark() * capacity.getAsLong()) {
            return ReleaseResult.nothing(used, capacity.orElse(-1), c);
        }
        long goal = (long) (c.lowWatermark() * capacity.getAsLong());
        long before = used;
        long released = 0;
        long releasedBytes = 0;
        long kept = 0;
        java.util.Set<SopInstanceUid> skip = new java.util.HashSet<>(); // kept ones, not offered again this pass
        while (used > goal && skip.size() < MAX_SKIPPED) {
            List<CatalogEntry> page = catalog.hotCopies(CHUNK + skip.size(), config.clock().instant());
            List<CatalogEntry> chunk = new ArrayList<>();
            long need = used - goal;
            long picked = 0;
            for (CatalogEntry e : page) {
                if (picked >= need || chunk.size() >= CHUNK) {
                    break;
                }
                if (!skip.contains(uid(e))) {
                    chunk.add(e);
                    picked += e.instance().sizeBytes();
                }
            }
            if (chunk.isEmpty()) {
                break; // nothing cached left to release: the rest of hot is home copies
            }
            long[] outcome = releaseChunk(chunk, skip);
            released += outcome[0];
            releasedBytes += outcome[1];
            kept += outcome[2];
            used -= outcome[1];
            space.removed(StorageTier.HOT, outcome[1]);
        }
        ReleaseResult r = new ReleaseResult(released, releasedBytes, before, used, capacity.getAsLong(),
                c.highWatermark(), c.lowWatermark(), kept, Duration.ofNanos(System.nanoTime() - t0));
        LOG.info("Release pass: {} hot copies ({} bytes) released, hot {} -> {} of {} bytes, {} kept", released,
                releasedBytes, before, used, r.capacity(), kept);
        return r;
    }

    /** Returns {released, releasedBytes, kept}; kept and busy rows are added to {@code skip}. */
    private long[] releaseChunk(List<CatalogEntry> chunk, java.util.Set<SopInstanceUid> skip) {
        String node = config.nodeId();
        List<ReentrantLock> held = new ArrayList<>();
        java.util.Set<SopInstanceUid> locked = new java.util.HashSet<>(
                locks.tryLockEach(chunk.stream().map(HotRelease::uid).toList(), held));
        long kept = 0;
        try {
            List<CatalogEntry> confirmed = new ArrayList<>();
            for (CatalogEntry e : chunk) {
                if (!locked.contains(uid(e))) {
                    skip.add(uid(e)); // a store, read-recall or migration of this very instance is under way
                } else if (homeHolds(tiers.tier(e.tier()), e.instance())) {
                    confirmed.add(e);
                } else {
                    skip.add(uid(e));
                    kept++;
                    LOG.error("Not releasing the hot copy of {}: its {} copy is missing or of the wrong size; run"
                            + " verify.", uid(e), e.tier());
                }
            }
            List<CatalogEntry> begun = catalog.atomically(() -> {
                List<CatalogEntry> ok = new ArrayList<>();
                for (CatalogEntry e : confirmed) {
                    if (catalog.beginHotCopyChange(uid(e), node, MigrationState.RELEASING, config.clock().instant(),
                            lease.get())) {
                        ok.add(e);
                    } else {
                        skip.add(uid(e)); // migrated, removed or claimed since the page was read
                    }
                }
                return ok;
            });
            begun.forEach(e -> faults.reached("release-begun"));
            TierStore hot = tiers.tier(StorageTier.HOT);
            try (BlobBatch batch = hot.batch()) {
                for (CatalogEntry e : begun) {
                    hot.delete(e.instance(), batch);
                    faults.reached("release-deleted");
                }
            }
            long bytes = 0;
            long n = 0;
            for (CatalogEntry e : catalog.atomically(() -> {
                List<CatalogEntry> ok = new ArrayList<>();
                for (CatalogEntry e2 : begun) {
                    if (catalog.finishHotCopyChange(uid(e2), node, MigrationState.RELEASING, false)) {
                        ok.add(e2);
                    }
                }
                return ok;
            })) {
                faults.reached("released");
                n++;
                bytes += e.instance().sizeBytes();
            }
            return new long[] {n, bytes, kept};
        } finally {
            held.forEach(ReentrantLock::unlock);
        }
    }

    /** The home tier still holds the instance at its catalogued size (archived objects included). */
    static boolean homeHolds(TierStore home, StoredInstance i) {
        try {
            return home.blobs().head(home.key(i)).map(BlobInfo::size).orElse(-1L) == i.sizeBytes();
        } catch (StorageException e) {
            return false; // cannot confirm: keep the hot copy
        }
    }

    private static SopInstanceUid uid(CatalogEntry e) {
        return e.instance().sopInstanceUid();
    }

    @Override
    public void close() {
        background.shutdown(); // a pass under way finishes first (each chunk settles its rows)
        try {
            background.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        passLock.lock(); // and one on a caller's thread
        passLock.unlock();
    }
}
