package org.pacs.storage.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.security.AccessEvent;
import org.pacs.storage.security.SqliteSecurityStorage;

/** {@code pacs-storage audit} reads the access trail the DICOMweb server writes, with its filters. */
class AuditIT {

    @TempDir
    Path dir;

    @Test
    void printsAccessEventsFilteredByUserStudyAndTime() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (SqliteSecurityStorage s = new SqliteSecurityStorage(dir.resolve("pacs-archive/security.db"))) {
            s.recordAccess(AccessEvent.of(now.minus(3, ChronoUnit.DAYS), "tina", "10.0.0.1", "STORE", "1.2.3", "200"));
            s.recordAccess(AccessEvent.of(now.minus(1, ChronoUnit.HOURS), "victor", "10.0.0.2", "RETRIEVE", "1.2.3",
                    "200"));
            s.recordAccess(AccessEvent.of(now, "victor", "10.0.0.2", "SEARCH_STUDIES", "", "200"));
        }
        Cli cli = new Cli(dir);
        Cli.Result all = cli.run("audit", "--json");
        assertThat(all.exit()).as(all.toString()).isZero();
        assertThat(Cli.jsonFields(all.out(), "action")).containsExactly("STORE", "RETRIEVE", "SEARCH_STUDIES");
        assertThat(Cli.jsonFields(cli.run("audit", "--user", "VICTOR", "--json").out(), "action"))
                .containsExactly("RETRIEVE", "SEARCH_STUDIES");
        assertThat(Cli.jsonFields(cli.run("audit", "--study", "1.2.3", "--since", "1d", "--json").out(), "user"))
                .containsExactly("victor");
        Cli.Result text = cli.run("audit", "--user", "tina");
        assertThat(text.out()).contains("tina").contains("10.0.0.1").contains("STORE").contains("1.2.3");
        Cli.Result bad = cli.run("audit", "--since", "yesterday");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--since").contains("30d");
    }
}
