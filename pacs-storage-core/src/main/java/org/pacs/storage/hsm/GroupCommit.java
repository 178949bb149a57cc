package org.pacs.storage.hsm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.pacs.storage.StorageException;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.blob.SupportsBatchedDurability;
import org.pacs.storage.blob.SupportsBatchedDurability.BlobBatch;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.InstanceCatalog;

/**
 * Group commit of concurrent stores: each store puts its file (forced before its rename) and hands over its
 * directory syncs and its catalog row; a group's directories are then forced once each and its rows inserted in
 * one catalog transaction, and only then is every store of the group answered. What a store reported stored
 * survives a power cut; what it had not reported may be lost whole, never half. No window is waited for: a group
 * is whatever queued meanwhile, so a lone store pays nothing extra and concurrent ones share the flushes.
 *
 * <p>Two stages on two threads, a pipeline: while the catalog commits one group, the next group's directories
 * are being forced, so under load a store waits for the slower of the two flushes, not for their sum. Rows reach
 * the catalog only after their directories are durable (a row never names a file a power cut could lose), and
 * the catalog stage takes every group synced meanwhile into one transaction.
 */
final class GroupCommit implements AutoCloseable {

    private static final int MAX_GROUP = 256;

    private record Item(CatalogEntry entry, BlobBatch blobs, CompletableFuture<Boolean> done) {
    }

    private final InstanceCatalog catalog;
    private final BlobStore hot;
    private final BlockingQueue<Item> arrived = new LinkedBlockingQueue<>();
    private final BlockingQueue<Item> synced = new LinkedBlockingQueue<>();
    private final Thread syncer;
    private final Thread committer;
    private final FaultHook hook;
    private final AtomicLong syncedStores = new AtomicLong();
    private final AtomicLong stores = new AtomicLong();
    private final AtomicLong syncRounds = new AtomicLong();
    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong largest = new AtomicLong();
    private volatile boolean closed;
    private volatile boolean syncerDone;

    GroupCommit(InstanceCatalog catalog, BlobStore hot, FaultHook hook) {
        this.catalog = catalog;
        this.hot = hot;
        this.hook = hook;
        this.syncer = start("hsm-group-sync", () -> {
            try {
                drain(arrived, () -> closed, this::sync);
            } finally {
                syncerDone = true; // the catalog stage finishes once it has committed what the syncer passed on
            }
        });
        this.committer = start("hsm-group-commit", () -> drain(synced, () -> syncerDone, this::commitRows));
    }

    private static Thread start(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    IngestStatistics stats() {
        return new IngestStatistics(syncedStores.get(), stores.get(), syncRounds.get(), transactions.get(), largest.get());
    }

    /**
     * Makes {@code blobs} durable and inserts {@code entry} with the rest of its group; true when the row was
     * added, false when the UID was catalogued already (by another process meanwhile).
     */
    boolean commit(CatalogEntry entry, BlobBatch blobs) {
        if (closed) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE, "The archive is closing; store the"
                    + " instance again.");
        }
        Item item = new Item(entry, blobs, new CompletableFuture<>());
        arrived.add(item);
        try {
            while (true) {
                try {
                    return item.done().get(1, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // a stage gone (closed, or killed by an Error) would otherwise leave this store waiting
                    if ((!syncer.isAlive() || !committer.isAlive()) && !item.done().isDone()) {
                        throw new StorageException(StorageException.Reason.UNAVAILABLE, "The archive's commit"
                                + " thread has stopped (closed, or failed: see the log) before the store was"
                                + " committed; store it again, after reopening the archive if needed.");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.unavailable("Interrupted while the store was being committed; it may or may not"
                    + " be stored: check with exists and store it again if not.", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StorageException se ? se
                    : StorageException.internal("Committing a store failed: " + e.getCause(), e.getCause());
        }
    }

    /** One stage's loop: take what queued, hand it to {@code step}, until {@code finished} and nothing is left. */
    private void drain(BlockingQueue<Item> queue, java.util.function.BooleanSupplier finished,
                       Consumer<List<Item>> step) {
        List<Item> group = new ArrayList<>();
        while (!finished.getAsBoolean() || !queue.isEmpty()) {
            try {
                Item first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                step.accept(group);
            } catch (InterruptedException e) {
                if (finished.getAsBoolean()) {
                    break;
                }
            } finally {
                group.clear();
            }
        }
    }

    /** Stage one: the group's directories, once each; then its rows go to the catalog stage. */
    private void sync(List<Item> group) {
        try {
            List<BlobBatch> batches = group.stream().map(Item::blobs).toList();
            if (hot instanceof SupportsBatchedDurability b) {
                b.commit(batches);
            } else {
                batches.forEach(BlobBatch::commit);
            }
            syncRounds.incrementAndGet();
            syncedStores.addAndGet(group.size());
            synced.addAll(group);
        } catch (RuntimeException e) {
            group.forEach(i -> i.done().completeExceptionally(e));
        }
    }

    /** Stage two: every synced row in one transaction, then each store of it is answered. */
    private void commitRows(List<Item> group) {
        try {
            hook.reached("group-commit");
            List<Boolean> added = catalog.insertEach(group.stream().map(Item::entry).toList());
            transactions.incrementAndGet();
            stores.addAndGet(group.size());
            largest.accumulateAndGet(group.size(), Math::max);
            for (int i = 0; i < group.size(); i++) {
                group.get(i).done().complete(added.get(i));
            }
        } catch (RuntimeException e) {
            group.forEach(i -> i.done().completeExceptionally(e));
        }
    }

    /** Commits what is queued, then stops both stages. */
    @Override
    public void close() {
        closed = true;
        try {
            syncer.join(TimeUnit.SECONDS.toMillis(30));
            committer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        StorageException gone = new StorageException(StorageException.Reason.UNAVAILABLE,
                "The archive closed before the store was committed; store it again.");
        for (BlockingQueue<Item> q : List.of(arrived, synced)) {
            for (Item i = q.poll(); i != null; i = q.poll()) {
                i.done().completeExceptionally(gone);
            }
        }
    }
}
