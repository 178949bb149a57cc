package org.pacs.storage.hsm;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.pacs.storage.StorageException;

/**
 * Spec §6.1.1 migration_service_config, plus the clock the service schedules and backs off by and the retry
 * backoff bounds. The node id and claim lease that keep nodes apart are the storage's ({@link HsmStorageConfig}).
 *
 * @param migrationInterval       time between the starts of two scheduled cycles (spec default 3600 s)
 * @param maxConcurrentMigrations migrations one cycle runs at the same time (spec default 4)
 * @param autoStart               start the scheduler from the constructor (spec default false)
 * @param onCycleComplete         called with each cycle's result; an exception it throws is logged and ignored
 * @param onMigrationError        called with (SOP Instance UID, message) per failed instance; exceptions are
 *                                logged and ignored
 * @param clock                   drives scheduling and retry backoff; null (the default) means the storage's
 *                                clock, which also ages instances for the policy; tests pass a clock they advance
 * @param retryBackoffInitial     wait before the first retry of a failed instance; doubles per further failure
 * @param retryBackoffMax         cap of that wait
 */
public record MigrationServiceConfig(
        Duration migrationInterval,
        int maxConcurrentMigrations,
        boolean autoStart,
        Consumer<MigrationResult> onCycleComplete,
        BiConsumer<String, String> onMigrationError,
        Clock clock,
        Duration retryBackoffInitial,
        Duration retryBackoffMax) {

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(3600);
    public static final int DEFAULT_MAX_CONCURRENT = 4;
    /** Above this a cycle would only queue on the tiers' connection pools. */
    public static final int MAX_CONCURRENT_LIMIT = 256;

    public MigrationServiceConfig {
        requirePositive(migrationInterval, "migration_interval");
        if (maxConcurrentMigrations < 1 || maxConcurrentMigrations > MAX_CONCURRENT_LIMIT) {
            throw StorageException.invalidInput("max_concurrent_migrations is " + maxConcurrentMigrations
                    + "; use a value from 1 to " + MAX_CONCURRENT_LIMIT + ".");
        }
        Objects.requireNonNull(onCycleComplete, "onCycleComplete");
        Objects.requireNonNull(onMigrationError, "onMigrationError");
        requirePositive(retryBackoffInitial, "retry_backoff_initial");
        requirePositive(retryBackoffMax, "retry_backoff_max");
        if (retryBackoffMax.compareTo(retryBackoffInitial) < 0) {
            throw StorageException.invalidInput("retry_backoff_max (" + retryBackoffMax
                    + ") is shorter than retry_backoff_initial (" + retryBackoffInitial + "); raise it.");
        }
    }

    /** The spec's defaults, the storage's clock; retries start after 10 minutes and back off to at most a day. */
    public static MigrationServiceConfig defaults() {
        return new MigrationServiceConfig(DEFAULT_INTERVAL, DEFAULT_MAX_CONCURRENT, false, r -> { }, (u, m) -> { },
                null, Duration.ofMinutes(10), Duration.ofHours(24));
    }

    public MigrationServiceConfig withMigrationInterval(Duration v) {
        return new MigrationServiceConfig(v, maxConcurrentMigrations, autoStart, onCycleComplete, onMigrationError,
                clock, retryBackoffInitial, retryBackoffMax);
    }

    public MigrationServiceConfig withMaxConcurrentMigrations(int v) {
        return new MigrationServiceConfig(migrationInterval, v, autoStart, onCycleComplete, onMigrationError,
                clock, retryBackoffInitial, retryBackoffMax);
    }

    public MigrationServiceConfig withAutoStart(boolean v) {
        return new MigrationServiceConfig(migrationInterval, maxConcurrentMigrations, v, onCycleComplete,
                onMigrationError, clock, retryBackoffInitial, retryBackoffMax);
    }

    public MigrationServiceConfig withOnCycleComplete(Consumer<MigrationResult> v) {
        return new MigrationServiceConfig(migrationInterval, maxConcurrentMigrations, autoStart, v, onMigrationError,
                clock, retryBackoffInitial, retryBackoffMax);
    }

    public MigrationServiceConfig withOnMigrationError(BiConsumer<String, String> v) {
        return new MigrationServiceConfig(migrationInterval, maxConcurrentMigrations, autoStart, onCycleComplete, v,
                clock, retryBackoffInitial, retryBackoffMax);
    }

    public MigrationServiceConfig withClock(Clock v) {
        return new MigrationServiceConfig(migrationInterval, maxConcurrentMigrations, autoStart, onCycleComplete,
                onMigrationError, v, retryBackoffInitial, retryBackoffMax);
    }

    public MigrationServiceConfig withRetryBackoff(Duration initial, Duration max) {
        return new MigrationServiceConfig(migrationInterval, maxConcurrentMigrations, autoStart, onCycleComplete,
                onMigrationError, clock, initial, max);
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw StorageException.invalidInput(name + " is " + d + "; give a positive duration, e.g. PT1H.");
        }
    }
}
