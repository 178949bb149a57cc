package org.pacs.storage.hsm;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.catalog.MigrationState;
import org.pacs.storage.hsm.service.ServiceThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's claims alive while their copies run. A large instance on a slow link can take longer to
 * copy than the claim lease lasts, and another node may take over a row whose lease has run out: the copy
 * would then be wasted, and the two nodes would race on the same target. While a copy runs, a timer renews
 * the leases of the rows being copied every third of a lease.
 */
final class LeaseKeeper implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final InstanceCatalog catalog;
    private final HsmStorageConfig config;
    private final ScheduledExecutorService timer;

    LeaseKeeper(InstanceCatalog catalog, HsmStorageConfig config) {
        this.catalog = catalog;
        this.config = config;
        this.timer = ServiceThreads.daemonTimer("hsm-lease-keeper");
    }

    Instant lease() {
        return config.clock().instant().plus(config.claimLease());
    }

    /** Renews the leases of {@code uids}, which this node holds in {@code state}, until the result is closed. */
    Held hold(Collection<SopInstanceUid> uids, MigrationState state) {
        Held held = new Held(List.copyOf(uids), state);
        long period = Math.max(1, config.claimLease().toMillis() / 3);
        try {
            held.task = timer.scheduleAtFixedRate(held::renew, period, period, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the storage is closing under this copy: the catalog is about to refuse it anyway, and says why
        }
        return held;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** The rows one copy step holds; closing it stops the renewals. */
    final class Held implements AutoCloseable {

        private final List<SopInstanceUid> uids;
        private final MigrationState state;
        /** Rows a renewal found taken over (or already moved on): not renewed again; their commit will fail. */
        private final Set<SopInstanceUid> lost = ConcurrentHashMap.newKeySet();
        private volatile ScheduledFuture<?> task;

        private Held(List<SopInstanceUid> uids, MigrationState state) {
            this.uids = uids;
            this.state = state;
        }

        private void renew() {
            try {
                catalog.atomically(() -> {
                    for (SopInstanceUid uid : uids) {
                        if (!lost.contains(uid) && !catalog.advance(uid, config.nodeId(), state, state, lease())) {
                            lost.add(uid);
                        }
                    }
                    return null;
                });
            } catch (RuntimeException e) { // a timer task that throws is never run again
                LOG.warn("Could not renew the claims of {} migrating instance(s), will retry: {}", uids.size(),
                        e.getMessage());
            }
        }

        @Override
        public void close() {
            ScheduledFuture<?> t = task;
            if (t != null) {
                t.cancel(false);
            }
        }
    }
}
