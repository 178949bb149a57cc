package org.pacs.storage.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.pacs.storage.catalog.CatalogTestData.entry;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;

/** A live catalog survives a PostgreSQL restart: calls fail fast while it is down and succeed once it is back. */
class PostgresRestartTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theSameCatalogCarriesOnAfterTheServerRestarts() {
        try (PostgresFixture.RestartableServer pg = PostgresFixture.restartable(dir.resolve("pgdata"));
             JdbcInstanceCatalog catalog = JdbcInstanceCatalog.postgres(pg.dataSource(), 4, Duration.ofSeconds(2))) {
            assertThat(catalog.insert(entry("1.1", "1.1", "1.1.5", "P1", null, 10, T0))).isTrue();

            pg.stop();
            // never a hang: each call gives up after the connect timeout (2 s here), with a reason and a remedy
            assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                assertThatThrownBy(() -> catalog.get(SopInstanceUid.of("1.1")))
                        .isInstanceOfSatisfying(StorageException.class, e -> {
                            assertThat(e.reason()).isEqualTo(StorageException.Reason.UNAVAILABLE);
                            assertThat(e.getMessage()).contains("PostgreSQL").contains("Check that it is running");
                        });
                assertThatThrownBy(() -> catalog.insert(entry("1.2", "1.1", "1.1.5", "P1", null, 10, T0)))
                        .isInstanceOfSatisfying(StorageException.class,
                                e -> assertThat(e.reason()).isEqualTo(StorageException.Reason.UNAVAILABLE));
                assertThatThrownBy(() -> catalog.atomically(() -> catalog.delete(SopInstanceUid.of("1.1"))))
                        .isInstanceOf(StorageException.class);
            });

            pg.start();
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(catalog.get(SopInstanceUid.of("1.1"))).isPresent());
            assertThat(catalog.insert(entry("1.2", "1.1", "1.1.5", "P1", null, 10, T0))).isTrue();
            assertThat(catalog.atomically(() -> catalog.insert(entry("1.3", "1.1", "1.1.5", "P1", null, 10, T0))))
                    .isTrue();
            assertThat(catalog.list()).hasSize(3);
        }
    }
}
