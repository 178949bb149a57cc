package org.pacs.storage.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.pacs.storage.StorageException;

class MigrationServiceConfigTest {

    @Test
    void defaultsAreTheSpecs() {
        MigrationServiceConfig c = MigrationServiceConfig.defaults();
        assertThat(c.migrationInterval()).isEqualTo(Duration.ofSeconds(3600));
        assertThat(c.maxConcurrentMigrations()).isEqualTo(4);
        assertThat(c.autoStart()).isFalse();
        assertThat(c.retryBackoffInitial()).isLessThanOrEqualTo(c.retryBackoffMax());
    }

    @Test
    void withMethodsChangeOneFieldOnly() {
        MutableClock clock = new MutableClock(Instant.EPOCH);
        MigrationServiceConfig c = MigrationServiceConfig.defaults().withMigrationInterval(Duration.ofMinutes(5))
                .withMaxConcurrentMigrations(8).withAutoStart(true).withClock(clock)
                .withRetryBackoff(Duration.ofSeconds(1), Duration.ofSeconds(8));
        assertThat(c.migrationInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.maxConcurrentMigrations()).isEqualTo(8);
        assertThat(c.autoStart()).isTrue();
        assertThat(c.clock()).isSameAs(clock);
        assertThat(c.retryBackoffMax()).isEqualTo(Duration.ofSeconds(8));
    }

    @Test
    void badValuesAreRefusedWithAMessageThatSaysWhatToDo() {
        MigrationServiceConfig c = MigrationServiceConfig.defaults();
        assertThatThrownBy(() -> c.withMaxConcurrentMigrations(0)).isInstanceOf(StorageException.class)
                .hasMessageContaining("max_concurrent_migrations").hasMessageContaining("from 1 to")
                .extracting(e -> ((StorageException) e).reason()).isEqualTo(StorageException.Reason.INVALID_INPUT);
        assertThatThrownBy(() -> c.withMigrationInterval(Duration.ZERO)).isInstanceOf(StorageException.class)
                .hasMessageContaining("migration_interval");
        assertThatThrownBy(() -> c.withMigrationInterval(Duration.ofSeconds(-1)))
                .isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> c.withRetryBackoff(Duration.ofMinutes(10), Duration.ofMinutes(1)))
                .isInstanceOf(StorageException.class).hasMessageContaining("retry_backoff_max");
    }
}
