package org.pacs.storage.hsm.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.hsm.ClaimedBatch;
import org.pacs.storage.hsm.HsmStorage;
import org.pacs.storage.hsm.MigrationBatchResult;
import org.pacs.storage.hsm.MigrationResult;
import org.pacs.storage.hsm.MigrationTask;
import org.pacs.storage.hsm.StorageTier;
import org.pacs.storage.hsm.TierPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One migration cycle (spec §9.3): runs at most {@code maxConcurrent} migrations at a time on the executor, a
 * semaphore permit per running migration, and claims candidates only for free permits. A migration is a batch
 * of up to {@link #BATCH_PER_SLOT} instances ({@link HsmStorage#migrate(java.util.Collection, StorageTier)}),
 * so its durable steps are paid once per batch; each instance still succeeds, fails and backs off on its own. The thread calling {@link #run} coordinates and returns once every
 * migration it started has ended, so a cycle never leaves work behind, even when stopped.
 */
public final class MigrationCycle {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationCycle.class);

    private enum Stop { NONE, DRAIN, INTERRUPT }

    /** Instances one running migration takes at most: enough to share its flushes, few enough to finish soon. */
    static final int BATCH_PER_SLOT = 32;

    /** Bounds the extra rows one claim fetches to step over instances waiting for their retry. */
    private static final int MAX_EXCLUDED_PER_CLAIM = 1000;

    private final HsmStorage storage;
    private final Executor executor;
    private final int maxConcurrent;
    private final RetryBackoff backoff;
    private final Callbacks callbacks;
    private final ConcurrencyGauge gauge;
    private final Semaphore permits;
    /** Threads running a migration of this cycle, so stop(false) can interrupt exactly those; guarded by itself. */
    private final Map<List<MigrationTask>, Thread> running = new IdentityHashMap<>();
    private final Set<SopInstanceUid> attempted = ConcurrentHashMap.newKeySet();
    /** Instances this cycle left for not fitting its byte budget. */
    private final Set<SopInstanceUid> overBudgetUids = ConcurrentHashMap.newKeySet();
    /** Submitted and not yet ended; their claims belong to the running migrations. */
    private final Set<SopInstanceUid> inFlight = ConcurrentHashMap.newKeySet();
    private final List<SopInstanceUid> failedUids = new ArrayList<>();
    private final AtomicLong migrated = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private volatile Stop stop = Stop.NONE;

    public MigrationCycle(HsmStorage storage, Executor executor, int maxConcurrent, RetryBackoff backoff,
                          Callbacks callbacks, ConcurrencyGauge gauge) {
        this.storage = storage;
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
        TierPolicy policy = storage.config().policy();
        long scheduled = 0;
        long scheduledBytes = 0;
        while (stop == Stop.NONE) {
            // Claim only for free slots, so a claimed instance starts at once and its lease never runs out in a
            // queue (where another node would take it over).
            permits.acquireUninterruptibly();
            int slots = 1 + permits.drainPermits();
            try {
                int limit = (int) Math.min((long) slots * BATCH_PER_SLOT, policy.maxInstancesPerCycle() - scheduled);
                long bytesLeft = policy.maxBytesPerCycle() - scheduledBytes;
                if (stop != Stop.NONE || limit <= 0 || bytesLeft <= 0) {
                    return;
                }
                ClaimedBatch batch = claim(limit, bytesLeft, backoff.waiting());
                skipped.addAndGet(batch.skipped());
                if (batch.tasks().isEmpty()) {
                    return; // no candidate left, or the next one does not fit the byte budget
                }
                List<MigrationTask> accepted = new ArrayList<>();
                for (MigrationTask task : batch.tasks()) {
                    SopInstanceUid uid = uidOf(task);
                    if (!attempted.add(uid)) {
                        // Handed out again within this cycle: never touch the claim a running migration holds.
                        if (!inFlight.contains(uid)) {
                            giveBack(task);
                        }
                    } else if (stop != Stop.NONE) {
                        giveBack(task);
                        skipped.incrementAndGet();
                    } else {
                        scheduled++;
                        scheduledBytes += task.metadata().sizeBytes();
                        inFlight.add(uid);
                        accepted.add(task);
                    }
                }
                if (accepted.isEmpty()) {
                    // every candidate was handed out before in this cycle (e.g. moved hot to warm and now due
                    // for cold): it waits for the next cycle, or this loop would claim it again and again
                    return;
                }
                for (List<MigrationTask> unit : split(accepted, slots)) {
                    slots--;
                    submit(unit);
                }
            } finally {
                permits.release(slots); // the slots no migration took
            }
        }
    }

    /**
     * Cuts the claimed tasks into at most {@code parts} runs of consecutive ones: claims come oldest first, so
     * neighbours tend to share a study and its directory, which a batch then syncs once.
     */
    static List<List<MigrationTask>> split(List<MigrationTask> tasks, int parts) {
        int n = Math.min(parts, tasks.size());
        List<List<MigrationTask>> units = new ArrayList<>(n);
        int from = 0;
        for (int i = 0; i < n; i++) {
            int size = (tasks.size() - from) / (n - i);
            units.add(List.copyOf(tasks.subList(from, from + size)));
            from += size;
        }
        return units;
    }

    /**
     * Claims a batch without the instances in {@code exclude}. The storage cannot skip them itself yet, so this
     * asks for that many more and gives the excluded ones back; the byte budget is applied here for that reason.
     */
    private ClaimedBatch claim(int limit, long bytesLeft, Set<SopInstanceUid> exclude) {
        int extra = Math.min(exclude.size(), MAX_EXCLUDED_PER_CLAIM);
        ClaimedBatch raw = storage.claimMigrationBatch(limit + extra, Long.MAX_VALUE);
        List<MigrationTask> kept = new ArrayList<>(limit);
        int overBudget = raw.skipped();
        long bytes = 0;
        for (MigrationTask t : raw.tasks()) {
            SopInstanceUid uid = uidOf(t);
            if (exclude.contains(uid)) {
                if (!inFlight.contains(uid)) {
                    giveBack(t);
                }
            } else if (kept.size() < limit && bytes + t.metadata().sizeBytes() <= bytesLeft) {
                kept.add(t);
                bytes += t.metadata().sizeBytes();
            } else {
                giveBack(t);
                // counted once per cycle: a later claim round of the same cycle meets it again
                overBudget += kept.size() < limit && overBudgetUids.add(uid) ? 1 : 0;
            }
        }
        return new ClaimedBatch(kept, overBudget);
    }

    private static SopInstanceUid uidOf(MigrationTask task) {
        return task.metadata().sopInstanceUid();
    }

    private void submit(List<MigrationTask> unit) {
        try {
            executor.execute(() -> runUnit(unit));
        } catch (RejectedExecutionException e) {
            permits.release();
            unit.forEach(this::release);
            stop = Stop.DRAIN;
            LOG.error("The migration thread pool refused work ({}); the cycle stops. Was it shut down?", e.toString());
        }
    }

    private void runUnit(List<MigrationTask> unit) {
        synchronized (running) {
            if (stop == Stop.INTERRUPT) {
                unit.forEach(this::release);
                skipped.addAndGet(unit.size());
                permits.release();
                return;
            }
            running.put(unit, Thread.currentThread());
        }
        gauge.enter();
        try {
            Map<StorageTier, List<MigrationTask>> byTarget = new EnumMap<>(StorageTier.class);
            unit.forEach(t -> byTarget.computeIfAbsent(t.target(), k -> new ArrayList<>()).add(t));
            byTarget.forEach(this::migrate);
        } finally {
            gauge.exit();
            synchronized (running) {
                running.remove(unit);
                // An interrupt aimed at this migration must not leak into the pool thread's next task.
                Thread.interrupted();
            }
            unit.forEach(this::release);
            permits.release();
        }
    }

    private void migrate(StorageTier target, List<MigrationTask> tasks) {
        MigrationBatchResult r;
        try {
            // once stopped, the batch starts no further copy: a drain ends with the copies already under way
            r = storage.migrate(tasks.stream().map(MigrationCycle::uidOf).toList(), target, () -> stop == Stop.NONE);
        } catch (RuntimeException e) { // the batch as a whole failed (e.g. the catalog is down)
            tasks.forEach(t -> failed(t, e));
            return;
        }
        for (MigrationTask task : tasks) {
            SopInstanceUid uid = uidOf(task);
            StorageException error = r.failed().get(uid);
            if (error != null) {
                failed(task, error);
                continue;
            }
            if (r.moved().contains(uid)) {
                migrated.incrementAndGet();
                bytes.addAndGet(task.metadata().sizeBytes());
            } else {
                skipped.incrementAndGet(); // already in the target tier, or not started because of a stop
            }
            backoff.recordSuccess(uid);
        }
    }

    private void failed(MigrationTask task, RuntimeException e) {
        if (stop == Stop.INTERRUPT) {
            skipped.incrementAndGet();
            LOG.info("Migration of {} interrupted by stop; it resumes at the next start", uidOf(task));
        } else if (e instanceof StorageException se && se.reason() == StorageException.Reason.NOT_FOUND) {
            skipped.incrementAndGet(); // removed since it was claimed
        } else {
            fail(task, e);
        }
    }

    private void fail(MigrationTask task, RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        SopInstanceUid uid = uidOf(task);
        RetryBackoff.Entry entry = backoff.recordFailure(uid, message);
        synchronized (failedUids) {
            failedUids.add(uid);
        }
        LOG.warn("Migration of {} from {} to {} failed (failure {} in a row, next try not before {}): {}", uid,
                task.metadata().currentTier(), task.target(), entry.failures(), entry.nextAttempt(), message);
        callbacks.migrationError(uid.value(), message);
    }

    /** The task has ended (or never started): its claim goes back (a no-op after a move) and it leaves flight. */
    private void release(MigrationTask task) {
        giveBack(task);
        inFlight.remove(uidOf(task));
    }

    private void giveBack(MigrationTask task) {
        try {
            storage.releaseClaim(uidOf(task));
        } catch (RuntimeException e) {
            LOG.warn("Releasing the claim on {} failed ({}); it frees itself when the lease ends", uidOf(task),
                    e.getMessage());
        }
    }
}
