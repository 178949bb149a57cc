package org.pacs.storage.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit_events table (schema version 3): written per access, filtered by user, study and time. */
class AccessEventTest {

    @TempDir
    Path dir;

    @Test
    void recordsAndFiltersAccessEvents() {
        Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
        try (SqliteSecurityStorage s = new SqliteSecurityStorage(dir.resolve("security.db"))) {
            s.recordAccess(AccessEvent.of(t0, "Tina", "10.0.0.1", "STORE", "1.2.3", "200"));
            s.recordAccess(AccessEvent.of(t0.plusSeconds(60), "victor", "10.0.0.2", "RETRIEVE", "1.2.3", "200"));
            s.recordAccess(AccessEvent.of(t0.plusSeconds(120), "victor", "10.0.0.2", "SEARCH_STUDIES", "",
                    "400 Unknown query key '\u0000'; DROP TABLE audit_events;--"));
        }
        // password hashes and the access trail: owner-only, and so are SQLite's -wal and -shm beside it
        try {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                    java.nio.file.Files.getPosixFilePermissions(dir.resolve("security.db")))).isEqualTo("rw-------");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        try (SqliteSecurityStorage s = new SqliteSecurityStorage(dir.resolve("security.db"))) {
            assertThat(s.accessEvents(AccessEventQuery.all())).extracting(AccessEvent::action)
                    .containsExactly("STORE", "RETRIEVE", "SEARCH_STUDIES");
            assertThat(s.accessEvents(new AccessEventQuery("tina", null, null, 0))).singleElement()
                    .satisfies(e -> {
                        assertThat(e.username()).isEqualTo("Tina");
                        assertThat(e.at()).isEqualTo(t0);
                        assertThat(e.address()).isEqualTo("10.0.0.1");
                        assertThat(e.sequence()).isPositive();
                    });
            assertThat(s.accessEvents(new AccessEventQuery(null, "1.2.3", t0.plusSeconds(1), 0)))
                    .extracting(AccessEvent::username).containsExactly("victor");
            assertThat(s.accessEvents(new AccessEventQuery(null, null, null, 1))).extracting(AccessEvent::action)
                    .containsExactly("SEARCH_STUDIES");
            assertThat(s.accessEvents(new AccessEventQuery("victor", null, null, 0)).get(1).outcome())
                    .contains("?").doesNotContain("\u0000");
        }
    }
}
