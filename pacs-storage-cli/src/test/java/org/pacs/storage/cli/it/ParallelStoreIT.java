package org.pacs.storage.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.cli.Archive;
import org.pacs.storage.cli.config.ConfigLoader;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.Tag;

/**
 * Two {@code store} processes (the real jar), 8 threads each, into one embedded archive (file tiers with fsync,
 * SQLite) at the same time: each has a set of its own and both have a shared set, so the same instances arrive
 * from two processes and several threads at once. Afterwards every instance is catalogued once, reads back
 * byte for byte, and verify is clean (no orphaned or doubled blob).
 */
class ParallelStoreIT {

    @TempDir
    Path dir;

    @Test
    void aThreadCountOutOfRangeOrAMissingPathIsOneLineAndExitTwo() {
        Cli cli = new Cli(dir);
        for (String[] args : new String[][] {{"store", "--threads", "0", "."}, {"store", "--threads", "100000", "."},
            {"store", "no-such-folder"}}) {
            Cli.Result r = cli.run(args);
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
            assertThat(r.err()).contains(args[args.length - 1].equals(".") ? "--threads" : "no-such-folder");
        }
        assertThat(dir.resolve("pacs-archive")).doesNotExist();
    }

    @Test
    void eightThreadsInEachOfTwoProcessesStoreEveryInstanceOnce() throws Exception {
        Cli cli = new Cli(dir);
        Path archive = cli.absoluteFileArchive(); // this test opens the same archive in its own JVM afterwards
        for (String[] set : new String[][] {{"first", "250"}, {"second", "250"}, {"shared", "250"}}) {
            Cli.Result g = cli.run("generate", "-o", set[0], "--studies", "5", "--series", "1", "--instances",
                    Integer.toString(Integer.parseInt(set[1]) / 5), "--bytes", "4096");
            assertThat(g.exit()).as(g.toString()).isZero();
        }

        Process a = cli.start(dir.resolve("a.out"), dir.resolve("a.err"), "store", "--threads", "8", "first",
                "shared");
        Process b = cli.start(dir.resolve("b.out"), dir.resolve("b.err"), "store", "--threads", "8", "shared",
                "second");
        try {
            assertThat(a.waitFor(120, TimeUnit.SECONDS)).as("first store finished").isTrue();
            assertThat(b.waitFor(120, TimeUnit.SECONDS)).as("second store finished").isTrue();
        } finally {
            a.destroyForcibly();
            b.destroyForcibly();
        }
        for (String p : List.of("a", "b")) {
            String out = Files.readString(dir.resolve(p + ".out"));
            String err = Files.readString(dir.resolve(p + ".err"));
            assertThat(err).as(p).doesNotContain("skipped").doesNotContain("\tat ");
            assertThat(out).as(p + ": " + err).contains("Stored 500 of 500 files");
        }

        Map<String, Path> sources = new HashMap<>();
        for (String set : List.of("first", "second", "shared")) {
            for (Path f : GenerateIT.files(dir.resolve(set))) {
                sources.put(DicomReader.readHeader(f).dataset().getUid(Tag.SOPInstanceUID).orElseThrow(), f);
            }
        }
        assertThat(sources).hasSize(750);
        Cli.Result found = cli.run("find", "--json", "PatientID=*");
        assertThat(found.exit()).as(found.toString()).isZero();
        assertThat(Cli.jsonFields(found.out(), "SOPInstanceUID")).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(sources.keySet());

        try (Archive opened = Archive.open(new ConfigLoader(Map.of(), dir).load(dir.resolve("pacs-storage.yaml")))) {
            for (Map.Entry<String, Path> e : sources.entrySet()) {
                try (InputStream in = opened.storage().open(SopInstanceUid.of(e.getKey()))) {
                    assertThat(in.readAllBytes()).as("bytes of " + e.getValue())
                            .isEqualTo(Files.readAllBytes(e.getValue()));
                }
            }
        }
        Cli.Result verify = cli.run("verify");
        assertThat(verify.exit()).as(verify.toString()).isZero();
        assertThat(verify.out()).contains("checked 750 instances: all intact.");
        assertThat(cli.run("stats", "--json").out()).contains("\"totalInstances\": 750");
    }
}
