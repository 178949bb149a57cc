package org.pacs.storage.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.blob.Digests;
import org.pacs.storage.cli.Archive;
import org.pacs.storage.cli.config.ConfigLoader;

/**
 * kill -9 of a real {@code pacs-storage store --threads 8} of 2,000 instances (the jar, embedded default: file
 * tiers with fsync, SQLite) once it has reported 600 of them: every instance its {@code --json} output had
 * reported reads back byte for byte, and the next {@code verify} is clean with no manual step (the stores in
 * flight at the kill are catalogued from the dead process's journal, or were never put: no orphan, no half file).
 * The killed process leaves nothing in its temporary folder either: left to itself, the SQLite driver copies its
 * native library there at every start and deletes it at a normal exit only.
 */
class StoreKillIT {

    private static final Pattern STORED = Pattern.compile(
            "\"SOPInstanceUID\"\\s*:\\s*\"([0-9.]+)\"[^}]*?\"sha256\"\\s*:\\s*\"([0-9a-f]{64})\"");

    @TempDir
    Path dir;

    @Test
    void killedMidStoreLosesNoReportedInstanceAndVerifyIsCleanAfter() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("java-tmp"));
        Cli cli = new Cli(dir).jvm("-Xmx256m", "-Djava.io.tmpdir=" + tmp);
        Path archive = cli.absoluteFileArchive(); // this test opens the same archive in its own JVM afterwards
        Cli.Result g = cli.run("generate", "-o", "in", "--studies", "20", "--series", "1", "--instances", "100",
                "--bytes", "4096");
        assertThat(g.exit()).as(g.toString()).isZero();

        Path out = dir.resolve("store.json");
        Process store = cli.start(out, dir.resolve("store.err"), "store", "--json", "--threads", "8", "in");
        try {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(5))
                    .until(() -> reported(out).size() >= 600 || !store.isAlive());
        } finally {
            store.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            assertThat(store.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        try (var left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("left in java.io.tmpdir by the killed store")
                    .noneMatch(name -> name.startsWith("sqlite-"));
        }
        Map<String, String> reported = reported(out);
        assertThat(Files.readString(out)).as("killed before it finished").doesNotContain("\"megabytesPerSecond\"");
        assertThat(reported).hasSizeGreaterThanOrEqualTo(600).hasSizeLessThan(2000);

        Cli.Result verify = cli.run("verify");
        assertThat(verify.exit()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("all intact");
        try (Archive opened = Archive.open(new ConfigLoader(Map.of(), dir).load(dir.resolve("pacs-storage.yaml")))) {
            for (Map.Entry<String, String> e : reported.entrySet()) {
                try (InputStream in = opened.storage().open(SopInstanceUid.of(e.getKey()))) {
                    assertThat(Digests.sha256(in)).as("reported " + e.getKey()).isEqualTo(e.getValue());
                }
            }
        }
    }

    /** The complete instance entries the command had written when it was killed. */
    private static Map<String, String> reported(Path out) {
        try {
            Map<String, String> m = new HashMap<>();
            Matcher x = STORED.matcher(Files.readString(out));
            while (x.find()) {
                m.put(x.group(1), x.group(2));
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
