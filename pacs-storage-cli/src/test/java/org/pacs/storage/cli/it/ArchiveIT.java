package org.pacs.storage.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.Tag;

/**
 * Every instance command against the embedded default archive, in the order a person would use them. One
 * archive for the class: each step builds on the previous one, and launching fewer JVMs keeps the suite short.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArchiveIT {

    @TempDir
    static Path dir;
    static Cli cli;
    static List<Path> generated;
    static String patientId;
    static String uid;
    static Path source;

    @BeforeAll
    static void generate() throws Exception {
        cli = new Cli(dir);
        Cli.Result g = cli.run("generate", "-o", "in", "--studies", "2", "--series", "1", "--instances", "3",
                "--bytes", "20000", "--json");
        assertThat(g.exit()).as(g.toString()).isZero();
        patientId = Cli.jsonFields(g.out(), "PatientID").get(0);
        generated = GenerateIT.files(dir.resolve("in"));
        source = generated.get(0);
        uid = DicomReader.readHeader(source).dataset().getUid(Tag.SOPInstanceUID).orElseThrow();
        Files.writeString(dir.resolve("in/notes.txt"), "this is not DICOM\n");
        byte[] whole = Files.readAllBytes(generated.get(1));
        Files.write(dir.resolve("in/truncated.dcm"), java.util.Arrays.copyOf(whole, 200));
    }

    @Test
    @Order(1)
    void storeReportsBadFilesStoresTheRestAndExitsOne() {
        Cli.Result r = cli.run("store", "in");

        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("Stored 6 of 8 files").contains("2 failed");
        assertThat(r.err()).contains("notes.txt").contains("truncated.dcm");
        assertThat(r.err().lines().filter(l -> l.startsWith("skipped "))).hasSize(2);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    @Order(2)
    void storingTheSameFilesAgainIsHarmless() {
        Cli.Result r = cli.run("store", "--json", "in/study-001", "in/study-002");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Cli.jsonField(r.out(), "stored")).isEqualTo("6");
        assertThat(Cli.jsonField(r.out(), "failed")).isEqualTo("0");
    }

    @Test
    @Order(3)
    void existsAnswersWithItsExitCode() {
        assertThat(cli.run("exists", uid).exit()).isZero();
        Cli.Result missing = cli.run("exists", "1.2.3.4.5");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.out()).contains("not stored");
        Cli.Result bad = cli.run("exists", "not-a-uid");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().strip().lines()).hasSize(1);
    }

    @Test
    @Order(4)
    void retrieveReturnsTheExactBytesToAFileOrStdout() throws Exception {
        Cli.Result r = cli.run("retrieve", uid, "-o", "out/copy.dcm");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("out/copy.dcm"))).isEqualTo(Files.readAllBytes(source));

        Cli.Result piped = cli.run("retrieve", uid, "-o", "-");
        assertThat(piped.exit()).isZero();
        assertThat(piped.stdoutBytes()).isEqualTo(Files.readAllBytes(source));
    }

    @Test
    @Order(5)
    void aMissingUidIsOneClearLineAndExitOne() {
        Cli.Result r = cli.run("retrieve", "1.2.3.4.5", "-o", "missing.dcm");

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("1.2.3.4.5").contains("find");
        assertThat(dir.resolve("missing.dcm")).doesNotExist();

        Cli.Result verbose = cli.run("retrieve", "1.2.3.4.5", "-o", "missing.dcm", "--verbose");
        assertThat(verbose.exit()).isEqualTo(1);
        assertThat(verbose.err()).contains("StorageException").contains("\tat ");
    }

    @Test
    @Order(6)
    void findMatchesAtEveryLevelWithDicomSyntax() {
        Cli.Result study = cli.run("find", "--json", "--level", "study", "PatientID=" + patientId);
        assertThat(study.exit()).as(study.toString()).isZero();
        assertThat(Cli.jsonFields(study.out(), "StudyInstanceUID")).hasSize(1);
        assertThat(Cli.jsonFields(study.out(), "PatientID")).containsOnly(patientId);

        Cli.Result instances = cli.run("find", "--json", "PatientID=" + patientId);
        assertThat(Cli.jsonFields(instances.out(), "SOPInstanceUID")).hasSize(3);

        Cli.Result wildcard = cli.run("find", "--level", "patient", "PatientID=PID*");
        assertThat(wildcard.exit()).isZero();
        assertThat(wildcard.out()).contains(patientId).contains("2 patients found");

        Cli.Result range = cli.run("find", "--json", "--level", "series", "StudyDate=19000101-29991231");
        assertThat(Cli.jsonFields(range.out(), "SeriesInstanceUID")).hasSize(2);

        Cli.Result byUid = cli.run("find", "--json", "SOPInstanceUID=" + uid + "\\1.2.3");
        assertThat(Cli.jsonFields(byUid.out(), "SOPInstanceUID")).containsExactly(uid);

        Cli.Result unknown = cli.run("find", "PatientShoeSize=42");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("PatientShoeSize");
    }

    @Test
    @Order(7)
    void statsCountsPerTier() {
        Cli.Result r = cli.run("stats", "--json");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Cli.jsonField(r.out(), "totalInstances")).isEqualTo("6");
        assertThat(Cli.jsonField(r.out(), "studiesCount")).isEqualTo("2");
        assertThat(r.out()).contains("\"hot\"").contains("\"warm\"").contains("\"cold\"");
        assertThat(r.err()).as("nothing on stderr when all went well (no library's log lines)").isEmpty();
        assertThat(cli.run("stats").out()).contains("hot").contains("6 instances");
    }

    @Test
    @Order(8)
    void migrateMovesBetweenTiersAndTheBytesStayTheSame() throws Exception {
        assertThat(cli.run("tier", uid).out().strip()).isEqualTo("hot");

        Cli.Result m = cli.run("migrate", uid, "--to", "cold");
        assertThat(m.exit()).as(m.toString()).isZero();
        assertThat(cli.run("tier", "--json", uid).out()).contains("\"tier\": \"cold\"");
        assertThat(cli.run("migrate", uid, "--to", "cold").out()).contains("already on cold");
        assertThat(cli.run("stats").out()).contains("migrations: 1 completed, 0 failed");

        Cli.Result r = cli.run("retrieve", uid, "-o", "-");
        assertThat(r.stdoutBytes()).isEqualTo(Files.readAllBytes(source));

        Cli.Result bad = cli.run("migrate", uid, "--to", "tepid");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("hot, warm, cold");

        Cli.Result cycle = cli.run("migrate", "--cycle", "--json");
        assertThat(cycle.exit()).as(cycle.toString()).isZero();
        assertThat(cycle.out()).contains("instancesMigrated");
    }

    @Test
    @Order(9)
    void restoreOnATierThatNeverArchivesSaysItIsReadable() {
        Cli.Result r = cli.run("restore", uid);
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("not archived");
        Cli.Result s = cli.run("restore-status", "--json", uid);
        assertThat(s.exit()).isZero();
        assertThat(Cli.jsonField(s.out(), "readable")).isEqualTo("true");
    }

    @Test
    @Order(10)
    void rebuildIndexRecoversALostCatalogFromTheTiers() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("pacs-archive"))) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("catalog.db")).toList()) {
                Files.delete(p);
            }
        }
        assertThat(Cli.jsonField(cli.run("stats", "--json").out(), "totalInstances")).isEqualTo("0");

        Cli.Result r = cli.run("rebuild-index", "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Cli.jsonField(r.out(), "added")).isEqualTo("6");
        assertThat(Cli.jsonField(cli.run("stats", "--json").out(), "totalInstances")).isEqualTo("6");
        assertThat(cli.run("tier", uid).out().strip()).isEqualTo("cold");
        assertThat(cli.run("find", "--level", "patient", "PatientID=" + patientId).out()).contains(patientId);
    }

    @Test
    @Order(11)
    void verifyIsCleanThenReportsACorruptedInstance() throws Exception {
        Cli.Result clean = cli.run("verify");
        assertThat(clean.exit()).as(clean.toString()).isZero();

        Path stored = storedFileOf(uid);
        byte[] b = Files.readAllBytes(stored);
        b[b.length - 1] ^= 0x55;
        Files.write(stored, b);

        Cli.Result r = cli.run("verify", "--json");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains(uid);
    }

    @Test
    @Order(12)
    void removeDeletesAndASecondRemoveFails() {
        String other = Cli.jsonFields(cli.run("find", "--json", "PatientID=" + patientId).out(), "SOPInstanceUID")
                .stream().filter(u -> !u.equals(uid)).findFirst().orElseThrow();
        assertThat(cli.run("remove", other).exit()).isZero();
        assertThat(cli.run("exists", other).exit()).isEqualTo(1);
        Cli.Result again = cli.run("remove", other);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains(other);
    }

    /** The file a file tier keeps for the instance: the one whose bytes equal the source's. */
    private static Path storedFileOf(String sop) throws Exception {
        byte[] want = Files.readAllBytes(source);
        try (Stream<Path> s = Files.walk(dir.resolve("pacs-archive"))) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                if (Files.size(p) == want.length && java.util.Arrays.equals(Files.readAllBytes(p), want)) {
                    return p;
                }
            }
        }
        throw new AssertionError("no stored copy of " + sop + " under pacs-archive");
    }
}
