package org.pacs.storage.hsm;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;

/** One cycle: real concurrency, budgets, error isolation, retry backoff and callbacks that throw. */
class HsmMigrationServiceCycleTest {

    private static final Duration BACKOFF = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    private static MigrationServiceConfig config(int maxConcurrent) {
        return MigrationServiceConfig.defaults().withMaxConcurrentMigrations(maxConcurrent)
                .withRetryBackoff(BACKOFF, Duration.ofHours(1));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4, 7})
    void aCycleRunsExactlyMaxConcurrentMigrationsAtATime(int maxConcurrent) throws Exception {
        // The caller's pool has more threads than the setting, so only the service's own bound can hold it.
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (HsmTestBed bed = new HsmTestBed(dir)) {
            List<SopInstanceUid> uids = bed.storeInstances(3 * maxConcurrent + 2);
            bed.ageAll();
            StoreGate gate = new StoreGate();
            bed.warm.hook(gate);
            HsmMigrationService service = new HsmMigrationService(bed.hsm, pool, config(maxConcurrent));

            CompletableFuture<MigrationResult> cycle = CompletableFuture.supplyAsync(service::runMigrationCycle);
            gate.awaitInside(maxConcurrent);
            assertThat(service.inFlightMigrations()).isEqualTo(maxConcurrent);
            gate.open();
            MigrationResult result = cycle.get(60, SECONDS);

            assertThat(result.instancesMigrated()).isEqualTo(uids.size());
            assertThat(result.failedUids()).isEmpty();
            assertThat(gate.peak()).isEqualTo(maxConcurrent);
            assertThat(service.peakConcurrentMigrations()).isEqualTo(maxConcurrent);
            assertThat(gate.entered()).isEqualTo(uids.size());
            assertThat(uids).allSatisfy(u -> assertThat(bed.tierOf(u)).isEqualTo(StorageTier.WARM));
            assertThat(service.inFlightMigrations()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theCycleHonoursThePolicysInstanceAndByteBudgets() {
        try (HsmTestBed bed = new HsmTestBed(dir, TierPolicy.DEFAULT.withMaxInstancesPerCycle(3))) {
            bed.storeInstances(10);
            bed.ageAll();
            try (HsmMigrationService service = new HsmMigrationService(bed.hsm, config(4))) {
                MigrationResult r = service.runMigrationCycle();
                assertThat(r.instancesMigrated()).isEqualTo(3);
                assertThat(r.bytesMigrated()).isPositive();
                assertThat(service.runMigrationCycle().instancesMigrated()).isEqualTo(3);
                assertThat(service.cumulativeStats().instancesMigrated()).isEqualTo(6);
                assertThat(service.cumulativeStats().bytesMigrated())
                        .isEqualTo(service.lastResult().orElseThrow().bytesMigrated() + r.bytesMigrated());
                assertThat(service.cyclesCompleted()).isEqualTo(2);
            }
        }
    }

    @Test
    void nothingMovesWhileThePolicyHasAutoMigrateOff() {
        try (HsmTestBed bed = new HsmTestBed(dir, TierPolicy.DEFAULT.withAutoMigrate(false))) {
            List<SopInstanceUid> uids = bed.storeInstances(3);
            bed.ageAll();
            try (HsmMigrationService service = new HsmMigrationService(bed.hsm, config(4))) {
                assertThat(service.runMigrationCycle().totalProcessed()).isZero();
                assertThat(service.cyclesCompleted()).isZero();
                assertThat(uids).allSatisfy(u -> assertThat(bed.tierOf(u)).isEqualTo(StorageTier.HOT));
            }
        }
    }

    @Test
    void aFailingInstanceIsReportedRecordedAndRetriedAfterBackoffWithoutStoppingTheCycle() {
        try (HsmTestBed bed = new HsmTestBed(dir)) {
            List<SopInstanceUid> uids = bed.storeInstances(10);
            bed.ageAll();
            Set<SopInstanceUid> broken = Set.of(uids.get(2), uids.get(7));
            bed.warm.hook(failFor(broken, new AtomicInteger()));
            Map<String, String> errors = new ConcurrentHashMap<>();
            AtomicInteger completions = new AtomicInteger();
            MigrationServiceConfig cfg = config(4).withOnMigrationError((uid, message) -> {
                errors.put(uid, message);
                throw new IllegalStateException("a buggy error callback");
            }).withOnCycleComplete(r -> {
                completions.incrementAndGet();
                throw new IllegalStateException("a buggy completion callback");
            });
            try (HsmMigrationService service = new HsmMigrationService(bed.hsm, cfg)) {
                MigrationResult first = service.runMigrationCycle();
                assertThat(first.instancesMigrated()).isEqualTo(8);
                assertThat(first.failedUids()).containsExactlyInAnyOrderElementsOf(broken);
                assertThat(errors.keySet()).containsExactlyInAnyOrderElementsOf(
                        broken.stream().map(SopInstanceUid::value).toList());
                assertThat(errors.values()).allSatisfy(m -> assertThat(m).contains("warm disk refused"));
                assertThat(broken).allSatisfy(u -> {
                    assertThat(bed.tierOf(u)).isEqualTo(StorageTier.HOT);
                    // Through the tier, not hsm.retrieve: a read would reset the instance's idle time.
                    assertThat(bed.hsm.tierHolds(StorageTier.HOT, bed.hsm.catalog().get(u).orElseThrow().instance()))
                            .isTrue();
                });
                assertThat(completions).hasValue(1);

                bed.warm.clearHook(); // the tier is repaired, but the backoff has not run out yet
                MigrationResult early = service.runMigrationCycle();
                assertThat(early.instancesMigrated()).isZero();
                assertThat(service.cumulativeStats().failedUids()).containsExactlyInAnyOrderElementsOf(broken);

                bed.clock.advance(BACKOFF);
                MigrationResult retried = service.runMigrationCycle();
                assertThat(retried.instancesMigrated()).isEqualTo(2);
                assertThat(retried.failedUids()).isEmpty();
                assertThat(service.cumulativeStats().failedUids()).isEmpty();
                assertThat(service.cumulativeStats().instancesMigrated()).isEqualTo(10);
                assertThat(service.failedAttempts()).isEqualTo(2);
                assertThat(completions).hasValue(3);
            }
        }
    }

    @Test
    void retriesBackOffExponentiallyOnTheClock() {
        try (HsmTestBed bed = new HsmTestBed(dir)) {
            SopInstanceUid uid = bed.storeInstances(1).get(0);
            bed.ageAll();
            AtomicInteger attempts = new AtomicInteger();
            bed.warm.hook(failFor(Set.of(uid), attempts));
            try (HsmMigrationService service = new HsmMigrationService(bed.hsm, config(2))) {
                assertThat(service.runMigrationCycle().failedUids()).containsExactly(uid);
                bed.clock.advance(BACKOFF); // first wait: 10 min
                assertThat(service.runMigrationCycle().failedUids()).containsExactly(uid);
                bed.clock.advance(BACKOFF); // second wait is 20 min: not yet
                assertThat(service.runMigrationCycle().totalProcessed()).isZero();
                bed.clock.advance(BACKOFF);
                assertThat(service.runMigrationCycle().failedUids()).containsExactly(uid);
                assertThat(attempts).hasValue(3);
                assertThat(bed.tierOf(uid)).isEqualTo(StorageTier.HOT);
            }
        }
    }

    @Test
    void callbacksThatThrowNeverKillTheScheduler() {
        try (HsmTestBed bed = new HsmTestBed(dir)) {
            List<SopInstanceUid> uids = bed.storeInstances(4);
            bed.ageAll();
            bed.warm.hook(failFor(Set.of(uids.get(0)), new AtomicInteger()));
            MigrationServiceConfig cfg = config(2)
                    .withOnMigrationError((u, m) -> { throw new IllegalStateException("boom"); })
                    .withOnCycleComplete(r -> { throw new AssertionError("an Error, not just an exception"); });
            try (HsmMigrationService service = new HsmMigrationService(bed.hsm, cfg)) {
                service.start();
                await().atMost(30, SECONDS).until(() -> service.cyclesCompleted() == 1);
                assertThat(service.isRunning()).isTrue();
                bed.clock.advance(BACKOFF);
                assertThat(service.triggerCycle()).isTrue();
                await().atMost(30, SECONDS).until(() -> service.cyclesCompleted() == 2);
                assertThat(service.isRunning()).isTrue();
                assertThat(service.cumulativeStats().instancesMigrated()).isEqualTo(3);
                assertThat(service.failedAttempts()).isEqualTo(2);
            }
        }
    }

    /** Fails the store of the chosen instances, found by their UID in the Part 10 bytes. */
    static HookedBackend.StoreHook failFor(Set<SopInstanceUid> uids, AtomicInteger attempts) {
        return bytes -> {
            String text = new String(bytes, StandardCharsets.ISO_8859_1);
            for (SopInstanceUid u : uids) {
                if (text.contains(u.value())) {
                    attempts.incrementAndGet();
                    throw new StorageException(StorageException.Reason.UNAVAILABLE, "warm disk refused " + u
                            + " (injected fault)");
                }
            }
        };
    }
}
