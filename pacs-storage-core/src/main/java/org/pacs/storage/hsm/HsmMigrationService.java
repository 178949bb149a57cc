package org.pacs.storage.hsm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.hsm.service.Callbacks;
import org.pacs.storage.hsm.service.ConcurrencyGauge;
import org.pacs.storage.hsm.service.MigrationCycle;
import org.pacs.storage.hsm.service.MigrationStats;
import org.pacs.storage.hsm.service.RetryBackoff;
import org.pacs.storage.hsm.service.ServiceThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spec §6 (DES-STOR-008): moves instances between the tiers of an {@link HsmStorage} in the background.
 * <p>A scheduler thread runs a cycle at {@link #start()} and then every {@link #migrationInterval()} measured on
 * the configured {@link Clock}; each cycle runs up to {@code max_concurrent_migrations} migrations at a time on
 * the thread pool. Instances are claimed in the catalog under this node's id, so several services on one
 * shared catalog never move the same instance at once. A failed instance is reported, retried in later cycles
 * with exponential backoff, and never stops the cycle. All methods are thread-safe.
 */
public final class HsmMigrationService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HsmMigrationService.class);
    /** Longest unbroken wait of the scheduler, so a wall clock that jumps is noticed within a minute. */
    private static final Duration MAX_WAIT = Duration.ofMinutes(1);

    private final HsmStorage storage;
    private final String nodeId;
    private final MigrationServiceConfig config;
    private final ExecutorService pool;
    private final boolean ownsPool;
    private final Clock clock;
    private final RetryBackoff backoff;
    private final Callbacks callbacks;
    private final ConcurrencyGauge gauge = new ConcurrencyGauge();
    private final MigrationStats stats = new MigrationStats();
    /** One cycle at a time per service, whether scheduled or called by hand. */
    private final ReentrantLock cycleLock = new ReentrantLock();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    // Guarded by lock:
    private Thread scheduler;
    private boolean stopRequested;
    private boolean triggered;
    private Instant lastCycleStart;
    private Duration interval;
    private MigrationCycle currentCycle;

    /** Owns a pool of {@code max_concurrent_migrations} threads, shut down by {@link #close()}. */
    public HsmMigrationService(HsmStorage storage, MigrationServiceConfig config) {
        this(storage, null, config, true);
    }

    public HsmMigrationService(HsmStorage storage) {
        this(storage, MigrationServiceConfig.defaults());
    }

    /** Runs migrations on the caller's pool (spec thread_pool), which the caller keeps and shuts down. */
    public HsmMigrationService(HsmStorage storage, ExecutorService threadPool, MigrationServiceConfig config) {
        this(storage, Objects.requireNonNull(threadPool, "threadPool"), config, false);
    }

    private HsmMigrationService(HsmStorage storage, ExecutorService threadPool, MigrationServiceConfig config,
                                boolean ownsPool) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.config = Objects.requireNonNull(config, "config");
        this.nodeId = storage.config().nodeId();
        this.ownsPool = ownsPool;
        this.pool = ownsPool ? ServiceThreads.ownPool(config.maxConcurrentMigrations()) : threadPool;
        this.clock = config.clock() != null ? config.clock() : storage.config().clock();
        this.interval = config.migrationInterval();
        this.backoff = new RetryBackoff(clock, config.retryBackoffInitial(), config.retryBackoffMax());
        this.callbacks = new Callbacks(config.onCycleComplete(), config.onMigrationError());
        if (config.autoStart()) {
            start();
        }
    }

    // ---- lifecycle ----

    /**
     * Starts the scheduler; idempotent. It first resumes migrations an earlier stop or crash left unfinished,
     * then runs a cycle at once and one every interval after that.
     */
    public void start() {
        lock.lock();
        try {
            if (scheduler != null) {
                return;
            }
            stopRequested = false;
            triggered = true;
            Thread t = new Thread(this::schedulerLoop, "hsm-migration-scheduler-" + nodeId);
            t.setDaemon(true);
            scheduler = t;
            t.start();
        } finally {
            lock.unlock();
        }
        LOG.info("HSM migration service started on node {}: every {}, {} at a time", nodeId,
                migrationInterval(), config.maxConcurrentMigrations());
    }

    /**
     * Stops the scheduler and the running cycle. With {@code waitForCompletion} the migrations in flight run to
     * their commit; without, they are interrupted and left for the storage to resume at the next start. Either
     * way, no migration of this service is running any more when this returns.
     */
    public void stop(boolean waitForCompletion) {
        Thread t;
        lock.lock();
        try {
            t = scheduler;
            stopRequested = true;
            if (currentCycle != null) {
                currentCycle.requestStop(!waitForCompletion);
            }
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (t == Thread.currentThread()) {
            // Called from a callback on the scheduler thread: it ends by itself once the callback returns.
            return;
        }
        if (t != null) {
            ServiceThreads.joinUninterruptibly(t);
        }
        // A cycle run by hand on another thread has been told to stop too; wait for it to wind down.
        cycleLock.lock();
        cycleLock.unlock();
        lock.lock();
        try {
            if (scheduler == t) {
                scheduler = null;
            }
        } finally {
            lock.unlock();
        }
        if (t != null) {
            LOG.info("HSM migration service stopped on node {} ({})", nodeId,
                    waitForCompletion ? "in-flight migrations committed" : "in-flight migrations interrupted");
        }
    }

    /** Same as {@code stop(true)}. */
    public void stop() {
        stop(true);
    }

    public boolean isRunning() {
        lock.lock();
        try {
            return scheduler != null && !stopRequested;
        } finally {
            lock.unlock();
        }
    }

    /** Stops with {@code stop(true)} and shuts down the pool when the service created it. */
    @Override
    public void close() {
        stop(true);
        if (ownsPool) {
            pool.shutdown();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- manual operations ----

    /**
     * Runs one cycle now on the calling thread, after any cycle already running, and returns its result; an
     * empty result without counting a cycle when the tier policy has auto_migrate off.
     */
    public MigrationResult runMigrationCycle() {
        return runCycle(false).orElseThrow();
    }

    /** Empty when a scheduled cycle finds the service stopping. */
    private Optional<MigrationResult> runCycle(boolean scheduled) {
        cycleLock.lock();
        try {
            MigrationCycle cycle = new MigrationCycle(storage, pool, config.maxConcurrentMigrations(), backoff,
                    callbacks, gauge);
            lock.lock();
            try {
                if (scheduled && stopRequested) {
                    return Optional.empty();
                }
                lastCycleStart = clock.instant();
                if (!storage.config().policy().autoMigrate()) {
                    // Same rule as HsmStorage.runMigrationCycle: explicit migrate() calls still work.
                    LOG.info("HSM migration cycle skipped on node {}: the tier policy has auto_migrate off", nodeId);
                    return Optional.of(MigrationResult.EMPTY);
                }
                currentCycle = cycle;
            } finally {
                lock.unlock();
            }
            MigrationResult result;
            try {
                result = cycle.run();
            } finally {
                lock.lock();
                try {
                    currentCycle = null;
                } finally {
                    lock.unlock();
                }
            }
            releaseAfterCycle();
            long n = stats.record(result);
            LOG.info("HSM migration cycle {} on node {}: {} migrated ({} bytes) in {} ms, {} failed, {} skipped",
                    n, nodeId, result.instancesMigrated(), result.bytesMigrated(),
                    result.duration().toMillis(), result.failedUids().size(), result.instancesSkipped());
            callbacks.cycleComplete(result);
            return Optional.of(result);
        } finally {
            cycleLock.unlock();
        }
    }

    /**
     * The release pass after each cycle, on the cycle's thread (so under the one scheduler): hot copies the cycle
     * kept as a cache go once hot passes its high watermark. A failure is logged; the next cycle tries again.
     */
    private void releaseAfterCycle() {
        try {
            ReleaseResult r = storage.releaseHotCopies();
            if (r.released() > 0 || r.kept() > 0) {
                LOG.info("HSM release on node {}: {} hot copies ({} bytes) released, hot at {} of {} bytes, {} kept",
                        nodeId, r.released(), r.releasedBytes(), r.usedAfter(), r.capacity(), r.kept());
            }
        } catch (RuntimeException e) {
            LOG.warn("HSM release pass after the cycle failed on node {}: {}; the next cycle tries again", nodeId,
                    e.getMessage());
        }
    }

    /** Asks the running scheduler for a cycle now; returns false (and does nothing) when it is not running. */
    public boolean triggerCycle() {
        lock.lock();
        try {
            if (scheduler == null || stopRequested) {
                LOG.warn("triggerCycle ignored: the migration service is not running; call start() first");
                return false;
            }
            triggered = true;
            wake.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Makes the scheduler re-read the clock now rather than at its next timed wake-up; for a clock that was
     * moved (a test clock) or a wall clock that jumped.
     */
    public void recheckSchedule() {
        lock.lock();
        try {
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- monitoring ----

    public Optional<MigrationResult> lastResult() {
        return stats.last();
    }

    /** Totals over every cycle; failed_uids lists the instances whose latest attempt failed, i.e. still failing. */
    public MigrationResult cumulativeStats() {
        List<SopInstanceUid> failing = backoff.failing().keySet().stream().sorted().toList();
        return stats.cumulative(failing);
    }

    /** Empty when not running; zero while a cycle runs or is due. */
    public Optional<Duration> timeUntilNextCycle() {
        lock.lock();
        try {
            if (scheduler == null || stopRequested) {
                return Optional.empty();
            }
            if (currentCycle != null || triggered || lastCycleStart == null) {
                return Optional.of(Duration.ZERO);
            }
            Duration left = Duration.between(clock.instant(), nextCycleAt());
            return Optional.of(left.isNegative() ? Duration.ZERO : left);
        } finally {
            lock.unlock();
        }
    }

    public long cyclesCompleted() {
        return stats.cycles();
    }

    /** Migrations running right now. */
    public int inFlightMigrations() {
        return gauge.current();
    }

    /** The most migrations this service ever ran at once; never above max_concurrent_migrations. */
    public int peakConcurrentMigrations() {
        return gauge.peak();
    }

    /** Failed migration attempts over the service's life (one instance failing thrice counts three). */
    public long failedAttempts() {
        return stats.failedAttempts();
    }

    public String nodeId() {
        return nodeId;
    }

    // ---- configuration ----

    public Duration migrationInterval() {
        lock.lock();
        try {
            return interval;
        } finally {
            lock.unlock();
        }
    }

    /** Takes effect at once: the next cycle is due one new interval after the last one started. */
    public void setMigrationInterval(Duration newInterval) {
        if (newInterval == null || newInterval.isZero() || newInterval.isNegative()) {
            throw StorageException.invalidInput("migration_interval is " + newInterval
                    + "; give a positive duration, e.g. PT1H.");
        }
        lock.lock();
        try {
            interval = newInterval;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        LOG.info("HSM migration interval on node {} set to {}", nodeId, newInterval);
    }

    // ---- scheduler ----

    private Instant nextCycleAt() {
        return lastCycleStart.plus(interval);
    }

    private void schedulerLoop() {
        try {
            // An earlier stop(false) or a dead node may have left moves half done; finish or undo them first.
            int resumed = storage.recoverExpired();
            if (resumed > 0) {
                LOG.info("Resumed {} migrations left unfinished by an earlier run", resumed);
            }
        } catch (RuntimeException e) {
            LOG.error("Resuming unfinished migrations failed ({}); the next start tries again", e.getMessage(), e);
        }
        while (awaitNextCycle()) {
            try {
                runCycle(true);
            } catch (RuntimeException e) {
                LOG.error("HSM migration cycle failed: {}; the next one runs on schedule", e.getMessage(), e);
            }
        }
    }

    /** Waits until a cycle is due or triggered; false once stop was requested. */
    private boolean awaitNextCycle() {
        lock.lock();
        try {
            while (!stopRequested && !triggered && lastCycleStart != null && clock.instant().isBefore(nextCycleAt())) {
                Duration left = Duration.between(clock.instant(), nextCycleAt());
                long nanos = left.compareTo(MAX_WAIT) > 0 ? MAX_WAIT.toNanos() : Math.max(left.toNanos(), 1);
                try {
                    wake.awaitNanos(nanos);
                } catch (InterruptedException e) {
                    return false;
                }
            }
            triggered = false;
            return !stopRequested;
        } finally {
            lock.unlock();
        }
    }
}
