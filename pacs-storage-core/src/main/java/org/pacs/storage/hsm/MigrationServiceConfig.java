package org.pacs.storage.hsm;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.pacs.storage.StorageException;

/**
 * Spec §6.1.1 migration_service_config, plus what a background service on a shared catalog needs: the clock
 * it schedules and backs off by, the retry backoff bounds, the claim lease and this node's name.
 *
 * @param migrationInterval       time between the starts of two scheduled cycles (spec default 3600 s)
 * @param maxConcurrentMigrations migrations one cycle runs at the same time (spec default 4)
 * @param autoStart               start the scheduler from the constructor (spec default false)
 * @param onCycleComplete         called with each cycle's result; an exception it throws is logged and ignored
 * @param onMigrationError        called with (SOP Instance UID, message) per failed instance; exceptions are
 *                                logged and ignored
 * @param clock                   drives scheduling and retry backoff; tests pass a clock they advance
 * @param retryBackoffInitial     wait before the first retry of a failed instance; doubles per further failure
 * @param retryBackoffMax         cap of that wait
 * @param claimLease              how long a claim on an instance protects it from other nodes; a node that dies
 *                                mid-migration gives the instance up to the others once the lease has run out
 * @param nodeId                  the name this node claims instances under; unique per running service
 */
public record MigrationServiceConfig(
        Duration migrationInterval,
        int maxConcurrentMigrations,
        boolean autoStart,
        Consumer<MigrationResult> onCycleComplete,
        BiConsumer<String, String> onMigrationError,
        Clock clock,
        Duration retryBackoffInitial,
        Duration retryBackoffMax,
        Duration claimLease,
        String nodeId) {

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
        Objects.requireNonNull(clock, "clock");
        requirePositive(retryBackoffInitial, "retry_backoff_initial");
        requirePositive(retryBackoffMax, "retry_backoff_max");
        if (retryBackoffMax.compareTo(retryBackoffInitial) < 0) {
            throw StorageException.invalidInput("retry_backoff_max (" + retryBackoffMax
                    + ") is shorter than retry_backoff_initial (" + retryBackoffInitial + "); raise it.");
        }
        requirePositive(claimLease, "claim_lease");
        if (nodeId == null || nodeId.isBlank() || nodeId.length() > 128) {
            throw StorageException.invalidInput("node_id must be 1 to 128 characters; give each node its own name.");
        }
    }

    /** The spec's defaults; retries start after 10 minutes and back off to at most a day; leases last 15 minutes. */
    public static MigrationServiceConfig defaults() {
        return new MigrationServiceConfig(DEFAULT_INTERVAL, DEFAULT_MAX_CONCURRENT, false, r -> { }, (u, m) -> { },
                Clock.systemUTC(), Duration.ofMinutes(10), Duration.ofHours(24), Duration.ofMinutes(15),
                defaultNodeId());
    }

    public MigrationServiceConfig withMigrationInterval(Duration v) {
        return new MigrationServiceConfig(v, maxConcurrentMigrations, autoStart, onCycleComplete, onMigrationError,
                clock, retryBackoffInitial, retryBackoffMax, claimLease, nodeId);
    }

    public MigrationServiceConfig withMaxConcurrentMigrations(int v) {
        return new MigrationServiceConfig(migrationInterval, v, autoStart, onCycleComplete, onMigrationError,
                clock, retryBackoffInitial, retryBackoffMax, claimLease, nodeId);
    }

    public MigrationServiceConfig withAutoStart(boolean v) {
        return new MigrationServiceConfig(migrationInterval, maxConcurrentMigrations, v, onCycleComplete,
                onMigrationError, clock, retryBackoffInitial, retryBackoffMax, claimLease, nodeId);
    }

    public MigrationServiceConfig withOnCycleComplete(Consumer<MigrationResult> v) {
        return new MigrationServiceConfig(migrationInterval, maxConcurrentMigrations, autoStart, v, onMigrationError,
                clock, retryBackoffInitial, retryBackoffMax, claimLease, nodeId);
    }

    public MigrationServiceConfig withOnMigrationError(BiConsumer<String, String> v) {
        return new MigrationServiceConfig(migrationInterval, maxConcurrentMigrations, autoStart, onCycleComplete, v,
                clock, retryBackoffInitial, retryBackoffMax, claimLease, nodeId);
    }

    public MigrationServiceConfig withClock(Clock v) {
        return new MigrationServiceConfig(migrationInterval, maxConcurrentMigrations, autoStart, onCycleComplete,
                onMigrationError, v, retryBackoffInitial, retryBackoffMax, claimLease, nodeId);
    }

    public MigrationServiceConfig withRetryBackoff(Duration initial, Duration max) {
        return new MigrationServiceConfig(migrationInterval, maxConcurrentMigrations, autoStart, onCycleComplete,
                onMigrationError, clock, initial, max, claimLease, nodeId);
    }

    public MigrationServiceConfig withClaimLease(Duration v) {
        return new MigrationServiceConfig(migrationInterval, maxConcurrentMigrations, autoStart, onCycleComplete,
                onMigrationError, clock, retryBackoffInitial, retryBackoffMax, v, nodeId);
    }

    public MigrationServiceConfig withNodeId(String v) {
        return new MigrationServiceConfig(migrationInterval, maxConcurrentMigrations, autoStart, onCycleComplete,
                onMigrationError, clock, retryBackoffInitial, retryBackoffMax, claimLease, v);
    }

    /** host:pid plus a random suffix, so two services in one JVM never share claims by accident. */
    static String defaultNodeId() {
        String runtime = ManagementFactory.getRuntimeMXBean().getName();
        String suffix = java.util.UUID.randomUUID().toString().substring(0, 8);
        String id = runtime + "/" + suffix;
        return id.length() > 128 ? id.substring(id.length() - 128) : id;
    }

    private static void requirePositive(Duration d, String name) {
        if (d == null || d.isZero() || d.isNegative()) {
            throw StorageException.invalidInput(name + " is " + d + "; give a positive duration, e.g. PT1H.");
        }
    }
}
