package org.pacs.storage.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.catalog.PostgresFixture;

/**
 * The migration service on a PostgreSQL catalog keeps running while the database is stopped and started again:
 * cycles meanwhile fail and say so, and once the server is back the same service, with the same pool, migrates
 * what is due without a restart.
 */
class ServiceSurvivesPostgresRestartTest {

    @TempDir
    Path dir;

    @Test
    void theServiceCarriesOnAfterPostgresRestarts() throws Exception {
        try (PostgresFixture.RestartableServer pg = PostgresFixture.restartable(dir.resolve("pgdata"));
             HsmTestBed bed = new HsmTestBed(dir, TierPolicy.DEFAULT.withMaxInstancesPerCycle(1000),
                     JdbcInstanceCatalog.postgres(pg.dataSource(), 4, Duration.ofSeconds(2)), "pg-restart")) {
            List<SopInstanceUid> uids = bed.storeInstances(20);
            BlockingQueue<MigrationResult> cycles = new LinkedBlockingQueue<>();
            try (HsmMigrationService service = new HsmMigrationService(bed.hsm, MigrationServiceConfig.defaults()
                    .withMigrationInterval(Duration.ofDays(1)).withOnCycleComplete(cycles::add))) {
                service.start(); // the first cycle runs at once: nothing is due yet
                assertThat(cycles.poll(60, TimeUnit.SECONDS)).isNotNull();
                assertThat(uids).allSatisfy(u -> assertThat(bed.tierOf(u)).isEqualTo(StorageTier.HOT));

                pg.stop();
                bed.ageAll();
                service.triggerCycle(); // the database is gone: this cycle cannot claim anything
                MigrationResult down = cycles.poll(60, TimeUnit.SECONDS);
                assertThat(down).as("a cycle ends, it does not hang").isNotNull();
                assertThat(down.instancesMigrated()).isZero();
                assertThat(service.isRunning()).isTrue();

                pg.start();
                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    service.triggerCycle();
                    return uids.stream().allMatch(u -> bed.tierOf(u) == StorageTier.WARM);
                });
                assertThat(bed.hsm.verifyIntegrity().isClean()).isTrue();
            }
        }
    }
}
