package org.pacs.storage.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several processes write one SQLite catalog file at once: no caller ever sees SQLITE_BUSY and every row lands
 * exactly once. The busy_timeout is 0 here, so every lock conflict reaches the catalog's own bounded retry
 * (with the production default of 30 s SQLite's busy handler would absorb most of them).
 */
class SqliteSharedFileTest {

    private static final int ROWS = 300;

    @TempDir
    Path dir;

    @Test
    void twoForkedJvmsAndThisOneWriteTheSameFileAndEveryRowLandsOnce() throws Exception {
        Path file = dir.resolve("catalog.db"); // fresh: the processes also race on creating the schema
        List<Process> children = new ArrayList<>();
        List<BufferedReader> outs = new ArrayList<>();
        try {
            for (String prefix : List.of("2.1", "2.2")) {
                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m", "-cp", System.getProperty("java.class.path"), SqliteWriterMain.class.getName(),
                        file.toString(), prefix, Integer.toString(ROWS), "0")
                        .redirectError(dir.resolve(prefix + ".err").toFile()).start();
                children.add(p);
                outs.add(p.inputReader(StandardCharsets.US_ASCII));
            }
            try (JdbcInstanceCatalog here = JdbcInstanceCatalog.sqlite(file, 0)) {
                for (int i = 0; i < children.size(); i++) {
                    assertThat(outs.get(i).readLine()).as(stderr(i)).isEqualTo("ready");
                }
                for (Process p : children) {
                    Writer w = p.outputWriter(StandardCharsets.US_ASCII);
                    w.write("go\n");
                    w.flush();
                }
                SqliteWriterMain.write(here, "2.3", ROWS);
                long retries = here.busyRetries();
                for (int i = 0; i < children.size(); i++) {
                    String done = outs.get(i).readLine();
                    assertThat(done).as(stderr(i)).startsWith("done ");
                    retries += Long.parseLong(done.substring(5));
                    assertThat(children.get(i).waitFor(60, TimeUnit.SECONDS)).isTrue();
                    assertThat(children.get(i).exitValue()).as(stderr(i)).isZero();
                }
                // the retry really ran: three writers with busy_timeout 0 cannot all pass each other untouched
                assertThat(retries).isPositive();

                List<CatalogEntry> all = here.list();
                Set<String> uids = new HashSet<>();
                all.forEach(e -> uids.add(e.instance().sopInstanceUid().value()));
                assertThat(all).hasSize(3 * ROWS);
                assertThat(uids).hasSize(3 * ROWS);
                for (String prefix : List.of("2.1", "2.2", "2.3")) {
                    for (int i = 0; i < ROWS; i++) {
                        assertThat(uids).contains(prefix + "." + i);
                    }
                }
                assertThat(here.counter("rows")).isEqualTo(3 * ROWS);
            }
        } finally {
            for (Process p : children) {
                p.destroyForcibly();
            }
        }
    }

    private String stderr(int child) {
        try {
            Path f = dir.resolve((child == 0 ? "2.1" : "2.2") + ".err");
            return Files.exists(f) ? Files.readString(f) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
