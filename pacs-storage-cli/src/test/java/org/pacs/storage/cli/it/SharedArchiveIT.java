package org.pacs.storage.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.Tag;

/**
 * Several processes on one archive, as in production: {@code serve} migrates while a second process (the real
 * jar each time) stores, finds, retrieves and migrates on the same embedded archive. Nothing is locked out, no
 * instance is lost or stored twice, and every byte comes back.
 */
class SharedArchiveIT {

    @TempDir
    Path dir;

    @Test
    void serveAndAnotherProcessWorkOnOneArchiveAtOnce() throws Exception {
        Files.writeString(dir.resolve("pacs-storage.yaml"), """
                hsm:
                  policy:
                    hot-to-warm: 0s
                    warm-to-cold: 3650d
                migration:
                  migration-interval: 1s
                  max-concurrent-migrations: 2
                """);
        Cli cli = new Cli(dir);
        assertThat(cli.run("generate", "-o", "first", "--instances", "20", "--bytes", "2048").exit()).isZero();
        assertThat(cli.run("generate", "-o", "second", "--instances", "20", "--bytes", "2048").exit()).isZero();
        Cli.Result firstStore = cli.run("store", "first");
        assertThat(firstStore.exit()).as(firstStore.toString()).isZero();

        Path out = dir.resolve("serve.out");
        Path err = dir.resolve("serve.err");
        Process serve = cli.start(out, err, "serve");
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.readString(out).contains("cycle 1:"));

            // while serve runs its cycles: store, find, retrieve and migrate from another process
            Cli.Result store = cli.run("store", "second");
            assertThat(store.exit()).as(store.toString()).isZero();
            assertThat(store.err()).doesNotContain("in use");
            List<Path> second = GenerateIT.files(dir.resolve("second"));
            for (Path f : second.subList(0, 5)) {
                String uid = uid(f);
                assertThat(cli.run("exists", uid).exit()).isZero();
                Path copy = dir.resolve("copy-" + uid + ".dcm");
                Cli.Result r = cli.run("retrieve", uid, "-o", copy.toString());
                assertThat(r.exit()).as(r.toString()).isZero();
                assertThat(sha(copy)).as("bytes of " + uid).isEqualTo(sha(f));
            }
            String moved = uid(second.get(5));
            // serve may hold this very instance for its own move at this moment: then the answer is "retry"
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).until(() -> {
                Cli.Result m = cli.run("migrate", moved, "--to", "cold");
                assertThat(m.err()).doesNotContain("\tat ");
                return m.exit() == 0;
            });
            Cli.Result found = cli.run("find", "--json", "PatientID=*");
            assertThat(found.exit()).as(found.toString()).isZero();
            assertThat(Cli.jsonFields(found.out(), "SOPInstanceUID")).hasSize(40).doesNotHaveDuplicates();

            // serve's cycles move everything else to warm; the explicit move stays in cold
            List<String> all = new ArrayList<>();
            for (Path f : GenerateIT.files(dir.resolve("first"))) {
                all.add(uid(f));
            }
            for (Path f : second) {
                all.add(uid(f));
            }
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() ->
                    all.stream().filter(u -> !u.equals(moved)).allMatch(u -> cli.run("tier", u).out().strip()
                            .equals("warm")));
            assertThat(cli.run("tier", moved).out().strip()).isEqualTo("cold");
            serve.destroy(); // SIGTERM
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            serve.destroyForcibly();
        }
        assertThat(Files.readString(out)).contains("stopped cleanly");
        assertThat(Files.readString(err)).doesNotContain("\tat ").doesNotContain("SQLITE_BUSY");
        Cli.Result verify = cli.run("verify");
        assertThat(verify.exit()).as(verify.toString()).isZero();
        Cli.Result stats = cli.run("stats", "--json");
        assertThat(stats.out()).contains("\"totalInstances\": 40");
    }

    private static String uid(Path f) {
        return DicomReader.readHeader(f).dataset().getUid(Tag.SOPInstanceUID).orElseThrow();
    }

    private static String sha(Path f) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }
}
