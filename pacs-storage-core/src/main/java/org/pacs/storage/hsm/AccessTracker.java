package org.pacs.storage.hsm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.hsm.service.ServiceThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches last-access times: a retrieve only puts the UID in a map; the map is written to the catalog in one
 * transaction when it reaches the threshold, on a timer, before candidates are selected, and at close. A read
 * therefore never waits for a database write, and a hot instance read a thousand times costs one update.
 */
final class AccessTracker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AccessTracker.class);

    private final InstanceCatalog catalog;
    private final Clock clock;
    private final int threshold;
    private final ConcurrentHashMap<SopInstanceUid, Instant> pending = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final Object flushLock = new Object();

    AccessTracker(InstanceCatalog catalog, Clock clock, int threshold, Duration interval) {
        this.catalog = catalog;
        this.clock = clock;
        this.threshold = threshold;
        this.timer = ServiceThreads.daemonTimer("hsm-access-flush");
        long ms = interval.toMillis();
        timer.scheduleWithFixedDelay(this::flushQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Notes a read. Never fails and never waits on the catalog: a full batch is flushed on the timer's thread, so
     * a slow or dead catalog costs the reader nothing. While the catalog stays down, pending times are capped
     * (the newest reads are then not recorded) so memory stays bounded.
     */
    void touched(SopInstanceUid uid) {
        if (pending.size() >= threshold * 10 && !pending.containsKey(uid)) {
            return;
        }
        pending.merge(uid, clock.instant(), (a, b) -> a.isAfter(b) ? a : b);
        if (pending.size() >= threshold) {
            try {
                timer.execute(this::flushQuietly);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing: close() flushes what is pending
            }
        }
    }

    int pendingCount() {
        return pending.size();
    }

    void flush() {
        synchronized (flushLock) {
            if (pending.isEmpty()) {
                return;
            }
            Map<SopInstanceUid, Instant> batch = new HashMap<>();
            for (SopInstanceUid uid : pending.keySet()) {
                Instant t = pending.remove(uid);
                if (t != null) {
                    batch.put(uid, t);
                }
            }
            try {
                catalog.recordAccess(batch);
            } catch (StorageException e) {
                // keep them for the next flush rather than lose the access times
                batch.forEach((uid, t) -> pending.merge(uid, t, (a, b) -> a.isAfter(b) ? a : b));
                throw e;
            }
        }
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("Could not record {} access times yet; will retry: {}", pending.size(), e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        flushQuietly();
    }
}
