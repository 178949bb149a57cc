package org.pacs.storage.security;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the audit trail: requests (DICOMweb) and operations (DIMSE) hand their rows to one writer
 * thread and wait until the batch holding them is committed, so every reply still follows its durable row, but
 * concurrent callers share one database flush instead of queueing for one each.
 */
public final class AuditWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditWriter.class);
    private static final int MAX_BATCH = 512;
    /** A request waits at most this long for its row; past it the reply goes out and the failure is logged. */
    private static final long WAIT_SECONDS = 30;

    private record Pending(List<AccessEvent> events, CompletableFuture<Void> done) {
    }

    private static final Pending STOP = new Pending(List.of(), new CompletableFuture<>());

    private final SecurityStorage security;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>(10_000);
    private final Thread thread;

    public AuditWriter(SecurityStorage security) {
        this.security = security;
        this.thread = new Thread(this::run, "dicomweb-audit");
        thread.setDaemon(true);
        thread.start();
    }

    /** Returns once the rows are committed (or logs why they could not be). */
    public void write(List<AccessEvent> events) {
        Pending p = new Pending(List.copyOf(events), new CompletableFuture<>());
        try {
            if (!thread.isAlive() || !queue.offer(p, WAIT_SECONDS, TimeUnit.SECONDS)) {
                security.recordAccesses(p.events()); // writer gone or swamped: write in this thread
                return;
            }
            p.done().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("interrupted while writing audit rows {}", events);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.error("could not write audit rows {}: {}", events, e.getCause() != null ? e.getCause() : e);
        }
    }

    /**
     * Queues the rows without waiting for their commit, for callers that have answered already (a DIMSE
     * response goes out before its row): the next operation on the association need not wait for the flush.
     * Blocks only while the queue is full; a failed commit is logged with the rows.
     */
    public void submit(List<AccessEvent> events) {
        Pending p = new Pending(List.copyOf(events), new CompletableFuture<>());
        try {
            if (!thread.isAlive() || !queue.offer(p, WAIT_SECONDS, TimeUnit.SECONDS)) {
                security.recordAccesses(p.events());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            LOG.error("interrupted while queueing audit rows {}", events);
        } catch (RuntimeException e) {
            LOG.error("could not write audit rows {}: {}", events, e.toString());
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean stop = batch.remove(STOP);
            List<AccessEvent> rows = new ArrayList<>();
            batch.forEach(p -> rows.addAll(p.events()));
            try {
                security.recordAccesses(rows);
                batch.forEach(p -> p.done().complete(null));
            } catch (RuntimeException e) {
                LOG.error("could not write {} audit rows: {}", rows.size(), e.toString());
                batch.forEach(p -> p.done().completeExceptionally(e));
            }
            batch.clear();
            if (stop) {
                return;
            }
        }
    }

    /** Writes what is queued, then stops the thread. */
    @Override
    public void close() {
        if (thread.isAlive()) {
            queue.offer(STOP);
            try {
                thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
