package org.pacs.storage.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.TransferSyntax;

class GenerateIT {

    @TempDir
    Path dir;

    @Test
    void writesValidInstancesWithFreshUidsAndTheRequestedPixelSize() throws Exception {
        Cli.Result r = new Cli(dir).run("generate", "-o", "gen", "--studies", "2", "--series", "2",
                "--instances", "3", "--bytes", "64KiB", "--json");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Cli.jsonField(r.out(), "files")).isEqualTo("12");
        assertThat(Cli.jsonField(r.out(), "pixelBytesPerInstance")).isEqualTo("65536");
        List<Path> files = files(dir.resolve("gen"));
        assertThat(files).hasSize(12);
        Set<String> sopUids = new HashSet<>();
        Set<String> studies = new HashSet<>();
        for (Path f : files) {
            DicomFile d = DicomReader.readHeader(f);
            sopUids.add(d.dataset().getUid(Tag.SOPInstanceUID).orElseThrow());
            studies.add(d.dataset().getUid(Tag.StudyInstanceUID).orElseThrow());
            assertThat(d.dataset().getString(Tag.PatientName)).isPresent();
            assertThat(d.dataset().getString(Tag.PatientID)).isPresent();
            assertThat(d.dataset().getString(Tag.Modality)).isPresent();
            assertThat(d.transferSyntaxUid()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            assertThat(Files.size(f) - d.headerLength()).as("pixel data element header and value")
                    .isEqualTo(12 + 65536);
        }
        assertThat(sopUids).hasSize(12);
        assertThat(studies).hasSize(2);
        assertThat(Files.list(dir.resolve("gen/study-001/series-01")).map(Path::toString))
                .noneMatch(n -> n.endsWith(".part"));
    }

    @Test
    void dcmdumpReadsWhatIsGenerated() throws Exception {
        assumeTrue(onPath("dcmdump"), "dcmdump (Debian package dcmtk) is not installed");
        for (String ts : List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)) {
            Path out = dir.resolve("ts-" + ts);
            Cli.Result r = new Cli(dir).run("generate", "-o", out.toString(), "--bytes", "10000",
                    "--transfer-syntax", ts);
            assertThat(r.exit()).as(r.toString()).isZero();
            Path file = files(out).get(0);
            Process p = new ProcessBuilder("dcmdump", "-E", "-Un", file.toString()).redirectErrorStream(true).start();
            String dump = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(dump).isZero();
            assertThat(dump).contains("(0010,0010) PN").contains("(7fe0,0010) OW").contains(ts)
                    .doesNotContain("E: ").doesNotContain("W: ");
        }
    }

    @Test
    void streamsPixelDataFarLargerThanTheHeap() throws Exception {
        Cli.Result r = new Cli(dir).jvm("-Xmx32m").run("generate", "-o", "big", "--bytes", "256MiB");

        assertThat(r.exit()).as(r.toString()).isZero();
        Path file = files(dir.resolve("big")).get(0);
        assertThat(Files.size(file)).isGreaterThan(256L << 20);
        assertThat(DicomReader.readHeader(file).dataset().getInt(Tag.NumberOfFrames).orElse(1)).isEqualTo(512);
    }

    @Test
    void badArgumentsAreUsageErrorsOnOneLine() {
        Cli cli = new Cli(dir);
        for (String[] args : List.of(new String[] {"generate", "--studies", "2"},
                new String[] {"generate", "-o", "x", "--studies", "0"},
                new String[] {"generate", "-o", "x", "--transfer-syntax", "1.2.840.10008.1.2.4.50"},
                new String[] {"no-such-command"})) {
            Cli.Result r = cli.run(args);
            assertThat(r.exit()).as(r.toString()).isEqualTo(2);
            assertThat(r.err().strip().lines()).as(r.toString()).hasSize(1);
            assertThat(r.err()).startsWith("pacs-storage: ");
        }
        assertThat(dir.resolve("x")).doesNotExist();
    }

    static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
