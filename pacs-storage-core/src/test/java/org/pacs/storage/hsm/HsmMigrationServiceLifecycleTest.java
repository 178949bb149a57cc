package org.pacs.storage.hsm;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;

/** Scheduling on an injected clock, start/stop semantics and resumption after an interrupted stop. */
class HsmMigrationServiceLifecycleTest {

    @TempDir
    Path dir;

    private final BlockingQueue<MigrationResult> completed = new LinkedBlockingQueue<>();

    private MigrationServiceConfig config() {
        return MigrationServiceConfig.defaults().withMigrationInterval(Duration.ofHours(1))
                .withOnCycleComplete(completed::add);
    }

    private MigrationResult nextCycle() throws InterruptedException {
        MigrationResult r = completed.poll(30, SECONDS);
        assertThat(r).as("a cycle completed within 30 s").isNotNull();
        return r;
    }

    @Test
    void theSchedulerRunsAtStartThenEveryIntervalOnTheInjectedClock() throws Exception {
        try (HsmTestBed bed = new HsmTestBed(dir);
             HsmMigrationService service = new HsmMigrationService(bed.hsm, config())) {
            bed.storeInstances(5);
            bed.ageAll();
            assertThat(service.isRunning()).isFalse();
            assertThat(service.timeUntilNextCycle()).isEmpty();

            service.start();
            assertThat(nextCycle().instancesMigrated()).isEqualTo(5);
            assertThat(service.timeUntilNextCycle()).contains(Duration.ofHours(1));

            List<SopInstanceUid> young = bed.storeInstances(3);
            young.forEach(bed.hsm::retrieve); // read now: idle time counts from this access on the test clock
            bed.clock.advance(Duration.ofMinutes(30));
            service.recheckSchedule();
            assertThat(service.timeUntilNextCycle()).contains(Duration.ofMinutes(30));
            assertThat(service.cyclesCompleted()).isEqualTo(1);

            bed.clock.advance(Duration.ofMinutes(30));
            service.recheckSchedule();
            assertThat(nextCycle().instancesMigrated()).as("stored an hour ago: too young").isZero();

            bed.clock.advance(HsmTestBed.HOT_TO_WARM);
            service.recheckSchedule();
            assertThat(nextCycle().instancesMigrated()).isEqualTo(young.size());

            service.setMigrationInterval(Duration.ofHours(2));
            assertThat(service.migrationInterval()).isEqualTo(Duration.ofHours(2));
            assertThat(service.timeUntilNextCycle()).contains(Duration.ofHours(2));

            assertThat(service.triggerCycle()).isTrue();
            assertThat(nextCycle().instancesMigrated()).isZero();

            service.stop(true);
            assertThat(service.isRunning()).isFalse();
            assertThat(service.timeUntilNextCycle()).isEmpty();
            assertThat(service.triggerCycle()).isFalse();
            assertThat(service.cyclesCompleted()).isEqualTo(4);
            assertThat(completed).isEmpty();
            assertThat(service.cumulativeStats().instancesMigrated()).isEqualTo(8);
            assertThat(service.lastResult()).isPresent();
        }
    }

    @Test
    void autoStartStartsTheSchedulerFromTheConstructor() throws Exception {
        try (HsmTestBed bed = new HsmTestBed(dir)) {
            bed.storeInstances(2);
            bed.ageAll();
            try (HsmMigrationService service = new HsmMigrationService(bed.hsm, config().withAutoStart(true))) {
                assertThat(service.isRunning()).isTrue();
                assertThat(nextCycle().instancesMigrated()).isEqualTo(2);
            }
        }
    }

    @Test
    void stopTrueWaitsUntilInFlightMigrationsAreCommitted() throws Exception {
        try (HsmTestBed bed = new HsmTestBed(dir)) {
            List<SopInstanceUid> uids = bed.storeInstances(12);
            Map<SopInstanceUid, String> sha = shaOf(bed, uids);
            bed.ageAll();
            StoreGate gate = new StoreGate();
            bed.warm.hook(gate);
            try (HsmMigrationService service = new HsmMigrationService(bed.hsm,
                    config().withMaxConcurrentMigrations(4))) {
                service.start();
                gate.awaitInside(4);

                CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> service.stop(true));
                await().atMost(30, SECONDS).until(() -> !service.isRunning());
                assertThat(stopping).as("stop(true) must wait for the held migrations").isNotDone();
                gate.open();
                stopping.get(30, SECONDS);

                MigrationResult cut = nextCycle();
                assertThat(cut.instancesMigrated()).isEqualTo(4);
                assertThat(service.inFlightMigrations()).isZero();
                assertThat(countIn(bed, uids, StorageTier.WARM)).isEqualTo(4);
                assertThat(countIn(bed, uids, StorageTier.HOT)).isEqualTo(8);
                assertConsistent(bed, uids, sha);

                // Nothing held a claim past the stop: a restart moves the rest at once.
                service.start();
                assertThat(nextCycle().instancesMigrated()).isEqualTo(8);
                assertThat(countIn(bed, uids, StorageTier.WARM)).isEqualTo(12);
                assertConsistent(bed, uids, sha);
            }
        }
    }

    @Test
    void stopFalseInterruptsInFlightMigrationsAndTheNextStartResumesThem() throws Exception {
        try (HsmTestBed bed = new HsmTestBed(dir)) {
            List<SopInstanceUid> uids = bed.storeInstances(12);
            Map<SopInstanceUid, String> sha = shaOf(bed, uids);
            bed.ageAll();
            StoreGate gate = new StoreGate();
            bed.warm.hook(gate);
            AtomicInteger errors = new AtomicInteger();
            try (HsmMigrationService service = new HsmMigrationService(bed.hsm, config()
                    .withMaxConcurrentMigrations(4).withOnMigrationError((u, m) -> errors.incrementAndGet()))) {
                service.start();
                gate.awaitInside(4);

                service.stop(false); // the gate is never opened: only the interrupt can free them
                assertThat(gate.inside()).isZero();
                assertThat(service.isRunning()).isFalse();
                MigrationResult cut = nextCycle();
                assertThat(cut.instancesMigrated()).isZero();
                assertThat(cut.failedUids()).as("an interrupt is not an instance failure").isEmpty();
                assertThat(cut.instancesSkipped()).isGreaterThanOrEqualTo(4);
                assertThat(errors).hasValue(0);
                assertThat(countIn(bed, uids, StorageTier.HOT)).isEqualTo(12);
                assertThat(bed.warm.list()).as("no partial copy left in warm").isEmpty();
                assertConsistent(bed, uids, sha);

                bed.warm.clearHook();
                service.start();
                assertThat(nextCycle().instancesMigrated()).isEqualTo(12);
                assertThat(countIn(bed, uids, StorageTier.WARM)).isEqualTo(12);
                assertConsistent(bed, uids, sha);
            }
        }
    }

    private static Map<SopInstanceUid, String> shaOf(HsmTestBed bed, List<SopInstanceUid> uids) {
        return uids.stream().collect(Collectors.toMap(Function.identity(),
                u -> bed.hsm.describe(u).map(StoredInstance::sha256).orElseThrow()));
    }

    private static long countIn(HsmTestBed bed, List<SopInstanceUid> uids, StorageTier tier) {
        return uids.stream().filter(u -> bed.tierOf(u) == tier).count();
    }

    /** Each instance is in exactly the tier the catalog names, byte-identical, and in no other tier. */
    static void assertConsistent(HsmTestBed bed, List<SopInstanceUid> uids, Map<SopInstanceUid, String> sha) {
        for (SopInstanceUid u : uids) {
            StorageTier tier = bed.tierOf(u);
            StorageTier other = tier == StorageTier.HOT ? StorageTier.WARM : StorageTier.HOT;
            StoredInstance i = bed.hsm.catalog().get(u).orElseThrow().instance();
            assertThat(i.sha256()).isEqualTo(sha.get(u));
            assertThat(bed.hsm.tierStore(tier).verify(bed.hsm.tierStore(tier).keyFor(i), i.sha256(), i.sizeBytes()))
                    .as("%s in %s", u, tier).isTrue();
            assertThat(bed.hsm.tierHolds(other, i)).as("%s also in %s", u, other).isFalse();
        }
    }
}
