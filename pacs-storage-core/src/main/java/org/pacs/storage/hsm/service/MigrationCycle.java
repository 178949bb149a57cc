package org.pacs.storage.hsm.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.hsm.MigrationResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One migration cycle (spec §9.3): claims policy candidates in small batches and runs at most
 * {@code maxConcurrent} migrations at a time on the executor, a semaphore permit per running migration. The
 * thread calling {@link #run} coordinates and returns once every migration it started has ended, so a cycle
 * never leaves work behind, even when stopped.
 */
public final class MigrationCycle {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationCycle.class);

    private enum Stop { NONE, DRAIN, INTERRUPT }

    private final MigrationWork work;
    private final Executor executor;
    private final int maxConcurrent;
    private final RetryBackoff backoff;
    private final Callbacks callbacks;
    private final ConcurrencyGauge gauge;
    private final Semaphore permits;
    /** Threads running a migration of this cycle, so stop(false) can interrupt exactly those; guarded by itself. */
    private final Map<MigrationTask, Thread> running = new HashMap<>();
    private final Set<SopInstanceUid> attempted = ConcurrentHashMap.newKeySet();
    private final List<SopInstanceUid> failedUids = new ArrayList<>();
    private final AtomicLong migrated = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile Stop stop = Stop.NONE;

    public MigrationCycle(MigrationWork work, Executor executor, int maxConcurrent, RetryBackoff backoff,
                          Callbacks callbacks, ConcurrencyGauge gauge) {
        this.work = work;
        this.executor = executor;
        this.maxConcurrent = maxConcurrent;
        this.backoff = backoff;
        this.callbacks = callbacks;
        this.gauge = gauge;
        this.permits = new Semaphore(maxConcurrent);
    }

    /** Runs the cycle on the calling thread and returns its figures; never throws for a single instance. */
    public MigrationResult run() {
        long t0 = System.nanoTime();
        try {
            schedule();
        } catch (RuntimeException e) {
            LOG.error("HSM migration cycle ended early: {}", e.getMessage(), e);
        } finally {
            // Every permit back means every migration this cycle started has reached its end.
            permits.acquireUninterruptibly(maxConcurrent);
            permits.release(maxConcurrent);
        }
        Duration took = Duration.ofMillis((System.nanoTime() - t0) / 1_000_000);
        List<SopInstanceUid> failed;
        synchronized (failedUids) {
            failed = List.copyOf(failedUids);
        }
        return new MigrationResult(migrated.get(), bytes.get(), took, failed, skipped.get());
    }

    /**
     * Stops claiming new instances. With {@code interrupt} the running migrations are interrupted too (they roll
     * back or leave a state the storage resumes); otherwise they run to their commit.
     */
    public void requestStop(boolean interrupt) {
        if (interrupt) {
            synchronized (running) {
                stop = Stop.INTERRUPT;
                running.values().forEach(Thread::interrupt);
            }
        } else if (stop == Stop.NONE) {
            stop = Stop.DRAIN;
        }
    }

    private void schedule() {
        long maxInstances = work.maxInstancesPerCycle();
        long maxBytes = work.maxBytesPerCycle();
        long scheduled = 0;
        long scheduledBytes = 0;
        for (MigrationWork.Direction direction : work.directions()) {
            while (stop == Stop.NONE) {
                int limit = (int) Math.min(maxConcurrent, maxInstances - scheduled);
                if (limit <= 0) {
                    return;
                }
                Set<SopInstanceUid> exclude = new HashSet<>(backoff.waiting());
                exclude.addAll(attempted);
                List<MigrationTask> batch = work.claim(direction, limit, exclude);
                if (batch.isEmpty()) {
                    break;
                }
                boolean budgetLeft = true;
                for (MigrationTask task : batch) {
                    // The first instance of a cycle always fits, so one larger than the budget still moves.
                    boolean fits = scheduled == 0 || scheduledBytes + task.sizeBytes() <= maxBytes;
                    budgetLeft &= fits;
                    if (!budgetLeft || stop != Stop.NONE || !attempted.add(task.uid())) {
                        giveBack(task);
                        skipped.incrementAndGet();
                        continue;
                    }
                    permits.acquireUninterruptibly();
                    if (stop != Stop.NONE) {
                        permits.release();
                        giveBack(task);
                        skipped.incrementAndGet();
                        continue;
                    }
                    scheduled++;
                    scheduledBytes += task.sizeBytes();
                    submit(task);
                }
                if (!budgetLeft) {
                    return;
                }
            }
        }
    }

    private void submit(MigrationTask task) {
        try {
            executor.execute(() -> runTask(task));
        } catch (RejectedExecutionException e) {
            permits.release();
            giveBack(task);
            stop = Stop.DRAIN;
            LOG.error("The migration thread pool refused work ({}); the cycle stops. Was it shut down?", e.toString());
        }
    }

    private void runTask(MigrationTask task) {
        synchronized (running) {
            if (stop == Stop.INTERRUPT) {
                finish(task, false);
                skipped.incrementAndGet();
                return;
            }
            running.put(task, Thread.currentThread());
        }
        gauge.enter();
        try {
            work.migrate(task);
            migrated.incrementAndGet();
            bytes.addAndGet(task.sizeBytes());
            backoff.recordSuccess(task.uid());
        } catch (RuntimeException e) {
            if (stop == Stop.INTERRUPT) {
                skipped.incrementAndGet();
                LOG.info("Migration of {} interrupted by stop; it resumes at the next start", task.uid());
            } else {
                fail(task, e);
            }
        } finally {
            gauge.exit();
            finish(task, true);
        }
    }

    private void fail(MigrationTask task, RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        RetryBackoff.Entry entry = backoff.recordFailure(task.uid(), message);
        synchronized (failedUids) {
            failedUids.add(task.uid());
        }
        LOG.warn("Migration of {} from {} to {} failed (failure {} in a row, next try not before {}): {}",
                task.uid(), task.from(), task.to(), entry.failures(), entry.nextAttempt(), message);
        callbacks.migrationError(task.uid().value(), message);
    }

    private void finish(MigrationTask task, boolean started) {
        if (started) {
            synchronized (running) {
                running.remove(task);
                // An interrupt aimed at this migration must not leak into the pool thread's next task.
                Thread.interrupted();
            }
        }
        giveBack(task);
        permits.release();
    }

    private void giveBack(MigrationTask task) {
        try {
            work.release(task);
        } catch (RuntimeException e) {
            LOG.warn("Releasing the claim on {} failed ({}); it frees itself when the lease ends", task.uid(),
                    e.getMessage());
        }
    }
}
