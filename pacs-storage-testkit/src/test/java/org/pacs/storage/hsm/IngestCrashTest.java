package org.pacs.storage.hsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.blob.Digests;
import org.pacs.storage.IntegrityReport;

/**
 * Crash safety of ingest (issue 14): a forked JVM storing 2,000 instances with 8 threads into the embedded
 * archive (local tiers with fsync, SQLite, group commit) dies mid-run, once by SIGKILL and once halted between
 * a put and its group commit. Afterwards every instance the child had reported stored reads back byte for byte,
 * and after the next open verify is clean with no manual step: the blobs of stores that were put but not
 * committed are catalogued from the dead process's store journal, so none is left as an orphan.
 */
class IngestCrashTest {

    private static final int COUNT = 2_000;

    @TempDir
    Path dir;

    @Test
    void sigkillMidRunLosesNoReportedStoreAndLeavesNoOrphan() throws Exception {
        Map<SopInstanceUid, String> reported = new HashMap<>();
        Process p = fork(List.of());
        try (BufferedReader out = reader(p)) {
            String line;
            while ((line = out.readLine()) != null && reported.size() < 600) {
                record(line, reported);
            }
            p.destroyForcibly(); // SIGKILL while seven or eight stores are in flight
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(reported).as("the child got going before the kill").hasSizeGreaterThanOrEqualTo(600);
        assertThat(reported.size()).as("killed before the end").isLessThan(COUNT);
        assertIntactAndClean(reported);
    }

    @Test
    void haltBetweenPutAndGroupCommitLeavesNoOrphan() throws Exception {
        Map<SopInstanceUid, String> reported = new HashMap<>();
        Process p = fork(List.of("-Dpacs.hsm.crashAt=ingest-put", "-Dpacs.hsm.crashAfter=700"));
        try (BufferedReader out = reader(p)) {
            String line;
            while ((line = out.readLine()) != null) {
                record(line, reported);
            }
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("halted at the 700th put").isEqualTo(137);
        assertThat(reported).doesNotContainKey(null).hasSizeLessThan(700);
        try (Stream<Path> journals = Files.list(dir.resolve("hot").resolve(".tmp"))) {
            assertThat(journals.filter(f -> f.getFileName().toString().startsWith(IngestIntents.PREFIX)))
                    .as("the dead process left its store journal").hasSize(1);
        }
        assertIntactAndClean(reported);
        try (HsmStorage hsm = IngestCrashMain.open(dir)) {
            // 700 puts had finished when the JVM halted, the 700th before its commit: it is catalogued now
            assertThat(hsm.getHsmStatistics().count(StorageTier.HOT))
                    .as("the put but uncommitted stores were catalogued from the journal").isGreaterThanOrEqualTo(700);
        }
    }

    private Process fork(List<String> jvmArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m"));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), IngestCrashMain.class.getName(),
                dir.toString(), Integer.toString(COUNT)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    private static BufferedReader reader(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void record(String line, Map<SopInstanceUid, String> reported) {
        if (line.startsWith("STORED ")) {
            String[] f = line.split(" ");
            reported.put(SopInstanceUid.of(f[1]), f[2]);
        }
    }

    /** Reopens (which recovers), then reads every reported instance back and runs the full verify. */
    private void assertIntactAndClean(Map<SopInstanceUid, String> reported) {
        try (HsmStorage hsm = IngestCrashMain.open(dir)) {
            for (Map.Entry<SopInstanceUid, String> want : reported.entrySet()) {
                try (InputStream in = hsm.open(want.getKey())) {
                    assertThat(Digests.sha256(in)).as("bytes of reported " + want.getKey())
                            .isEqualTo(want.getValue());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            IntegrityReport report = hsm.verifyIntegrity();
            assertThat(report.isClean()).as("verify after the crash, with no manual step: " + report).isTrue();
        }
    }
}
