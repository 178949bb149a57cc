package org.pacs.storage.hsm;

import java.io.InputStream;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
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
 * Recall on read: once a read of an instance in warm or cold has been answered (its stream closed), a copy goes
 * back to hot in the background, recorded as a cache copy: the home tier stays where it is, and the release pass
 * may drop the copy again. A recall is NONE → RECALLING (claimed) → copy into hot, durable → checked against the
 * catalog's SHA-256 (and the store's own checksum with verify_after_migration) → NONE with hot_copy set; a crash
 * leaves RECALLING, whose recovery deletes the hot copy. Bounded: two threads, {@value #QUEUE} waiting recalls at
 * most (more are dropped, the next read asks again), each instance at most once in flight.
 */
final class HotRecalls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HotRecalls.class);
    static final int QUEUE = 256;

    private final InstanceCatalog catalog;
    private final HsmTiers tiers;
    private final HsmStorageConfig config;
    private final TierSpace space;
    private final UidLocks locks;
    private final Supplier<Instant> lease;
    private final Runnable onHotGrown;
    private final MigrationRecovery undo;
    private final Set<SopInstanceUid> inFlight = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor pool;

    HotRecalls(InstanceCatalog catalog, HsmTiers tiers, HsmStorageConfig config, TierSpace space, UidLocks locks,
               Supplier<Instant> lease, MigrationRecovery undo, Runnable onHotGrown) {
        this.undo = undo;
        this.catalog = catalog;
        this.tiers = tiers;
        this.config = config;
        this.space = space;
        this.locks = locks;
        this.lease = lease;
        this.onHotGrown = onHotGrown;
        this.pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "hsm-recall");
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /** Whether a read of {@code e} should be followed by a recall. */
    boolean wanted(CatalogEntry e) {
        return config.space().recallOnRead() && eligible(e);
    }

    /** In warm or cold, no hot copy yet, nothing in flight, and hot a store of its own. */
    private boolean eligible(CatalogEntry e) {
        return e.tier() != StorageTier.HOT && !e.hotCopy() && e.migrationState() == MigrationState.NONE
                && !tiers.inPlace(StorageTier.HOT, e.tier());
    }

    /** The read's stream, which asks for the recall once it is closed (the answer has been sent). */
    InputStream afterRead(InputStream in, CatalogEntry e) {
        if (!wanted(e)) {
            return in;
        }
        return new java.io.FilterInputStream(in) {
            private boolean closed;

            @Override
            public void close() throws java.io.IOException {
                try {
                    super.close();
                } finally {
                    if (!closed) {
                        closed = true;
                        request(e.instance().sopInstanceUid());
                    }
                }
            }
        };
    }

    /** Queues a recall unless one for this instance is in flight or the queue is full; never blocks. */
    void request(SopInstanceUid uid) {
        if (!inFlight.add(uid)) {
            return;
        }
        try {
            pool.execute(() -> {
                try {
                    recall(uid);
                } catch (RuntimeException ex) {
                    LOG.warn("Recall of {} to hot failed (the next read tries again): {}", uid, ex.getMessage());
                } finally {
                    inFlight.remove(uid);
                }
            });
        } catch (RejectedExecutionException ex) {
            inFlight.remove(uid); // too many waiting, or closing: this read goes without
        }
    }

    /** Recalls now on the calling thread; true when hot holds a recorded copy afterwards. */
    boolean recall(SopInstanceUid uid) {
        ReentrantLock lock = locks.lockFor(uid);
        lock.lock();
        try {
            CatalogEntry e = catalog.get(uid).orElse(null);
            if (e == null || !eligible(e)) {
                return e != null && (e.hotCopy() || e.tier() == StorageTier.HOT);
            }
            StoredInstance i = e.instance();
            space.checkRoom(StorageTier.HOT, i.sizeBytes());
            if (space.hotAboveHigh()) {
                return false; // a recall must not push out what the release pass is about to keep
            }
            String node = config.nodeId();
            if (!catalog.beginHotCopyChange(uid, node, MigrationState.RECALLING, config.clock().instant(),
                    lease.get())) {
                return false; // migrating, removed or claimed meanwhile
            }
            TierStore hot = tiers.tier(StorageTier.HOT);
            TierStore home = tiers.tier(e.tier());
            StoredInstance copy;
            try (InputStream in = home.open(i); BlobBatch batch = hot.batch()) {
                config.faultHook().reached("recall-copying");
                copy = hot.copyIn(in, i, batch);
            } catch (java.io.IOException | RuntimeException ex) {
                undo.rollback(i, hot, MigrationState.RECALLING);
                throw ex instanceof StorageException se ? se : StorageException.unavailable("Recalling " + uid
                        + " to hot failed: " + ex.getMessage(), ex);
            }
            boolean good = TierStore.sameBytes(i, copy)
                    && (!config.verifyAfterMigration() || hot.confirmsCopy(i));
            if (!good) {
                undo.rollback(i, hot, MigrationState.RECALLING);
                LOG.error("The recalled copy of {} does not match the catalog's checksum; removed it. Check the hot"
                        + " store.", uid);
                return false;
            }
            config.faultHook().reached("recall-copied");
            boolean done = catalog.finishHotCopyChange(uid, node, MigrationState.RECALLING, true);
            space.added(StorageTier.HOT, i.sizeBytes());
            if (space.hotAboveHigh()) {
                onHotGrown.run();
            }
            return done;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        pool.getQueue().clear(); // queued recalls are dropped (the next read asks again)
        pool.shutdown(); // a running one finishes or rolls back
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
