package org.pacs.storage.hsm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.pacs.storage.StorageException;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.blob.SupportsBatchedDurability;
import org.pacs.storage.blob.SupportsBatchedDurability.BlobBatch;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.InstanceCatalog;

/**
 * Group commit of concurrent stores: each store puts its file (forced before its rename) and hands over its
 * directory syncs and its catalog row; one thread makes a whole group durable together, the directories once
 * each and the rows in one catalog transaction, then answers every store of the group. A store returns only once
 * its group is durable, so what a store reported stored survives a power cut, and what it had not reported may be
 * lost whole, never half. No window is waited for: a group is whatever queued while the previous one committed,
 * so a lone store pays nothing extra and concurrent ones share the flushes.
 */
final class GroupCommit implements AutoCloseable {

    private static final int MAX_GROUP = 256;

    private record Item(CatalogEntry entry, BlobBatch blobs, CompletableFuture<Boolean> done) {
    }

    private final InstanceCatalog catalog;
    private final BlobStore hot;
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Thread committer;
    private volatile boolean closed;

    GroupCommit(InstanceCatalog catalog, BlobStore hot) {
        this.catalog = catalog;
        this.hot = hot;
        this.committer = new Thread(this::run, "hsm-group-commit");
        committer.setDaemon(true);
        committer.start();
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
        queue.add(item);
        try {
            while (true) {
                try {
                    return item.done().get(1, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    // a committer gone (closed, or killed by an Error) would otherwise leave this store waiting
                    if (!committer.isAlive() && !item.done().isDone()) {
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

    private void run() {
        List<Item> group = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Item first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                commitGroup(group);
            } catch (InterruptedException e) {
                if (closed) {
                    break;
                }
            } finally {
                group.clear();
            }
        }
    }

    private void commitGroup(List<Item> group) {
        try {
            List<BlobBatch> batches = group.stream().map(Item::blobs).toList();
            if (hot instanceof SupportsBatchedDurability b) {
                b.commit(batches); // the directories first: a row never names a file a power cut could lose
            } else {
                batches.forEach(BlobBatch::commit);
            }
            List<Boolean> added = catalog.insertEach(group.stream().map(Item::entry).toList());
            for (int i = 0; i < group.size(); i++) {
                group.get(i).done().complete(added.get(i));
            }
        } catch (RuntimeException e) {
            group.forEach(i -> i.done().completeExceptionally(e));
        }
    }

    /** Commits what is queued, then stops the thread. */
    @Override
    public void close() {
        closed = true;
        try {
            committer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Item i = queue.poll(); i != null; i = queue.poll()) {
            i.done().completeExceptionally(new StorageException(StorageException.Reason.UNAVAILABLE,
                    "The archive closed before the store was committed; store it again."));
        }
    }
}
