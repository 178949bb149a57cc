package org.pacs.storage.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.testkit.FreePorts;

/**
 * {@code serve} with {@code dimse} and {@code dicomweb} sections starts both faces over the archive, beside the
 * migration service: a modality's C-STORE (DCMTK's storescu, when installed) and a viewer's QIDO-RS (with the
 * credentials of a user the CLI added) reach the same instances, every access leaves an audit row, and SIGTERM
 * stops everything cleanly.
 */
class ServeFacesIT {

    @TempDir
    Path dir;

    @Test
    void serveStartsTheConfiguredFacesOverTheArchive() throws Exception {
        int dimsePort = FreePorts.find();
        int webPort = FreePorts.find();
        Files.writeString(dir.resolve("pacs-storage.yaml"), """
                hsm:
                  policy:
                    hot-to-warm: 3650d
                dimse:
                  ae-title: PACS
                  port: %d
                dicomweb:
                  port: %d
                """.formatted(dimsePort, webPort));
        Cli cli = new Cli(dir);
        assertThat(cli.runWithInput("tech-password-1\n", "users", "add", "tech", "--roles", "technologist")
                .exit()).isZero();
        assertThat(cli.run("generate", "-o", "in", "--instances", "3", "--bytes", "2048").exit()).isZero();
        List<Path> files = GenerateIT.files(dir.resolve("in"));
        String study = DicomReader.readHeader(files.get(0)).dataset().getUid(Tag.StudyInstanceUID).orElseThrow();

        Path out = dir.resolve("serve.out");
        Path err = dir.resolve("serve.err");
        Process serve = cli.start(out, err, "serve");
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.readString(out).contains("serving:"));
            assertThat(Files.readString(out)).contains("DIMSE: AE title PACS").contains("DICOMweb: http://");

            boolean dcmtk = Files.isExecutable(Path.of("/usr/bin/storescu"));
            if (dcmtk) {
                ProcessBuilder pb = new ProcessBuilder("storescu", "-aec", "PACS", "127.0.0.1",
                        Integer.toString(dimsePort), files.get(0).toString()).redirectErrorStream(true);
                pb.environment().put("TCP_NODELAY", "1");
                Process scu = pb.start();
                String said = new String(scu.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(scu.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(scu.exitValue()).as(said).isZero();
            } else {
                assertThat(cli.run("store", files.get(0).toString()).exit()).isZero();
            }

            HttpClient http = HttpClient.newHttpClient();
            URI studies = URI.create("http://127.0.0.1:" + webPort + "/dicom-web/studies?StudyInstanceUID=" + study);
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(studies).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as("every request authenticates by default").isEqualTo(401);
            String auth = "Basic " + Base64.getEncoder().encodeToString("tech:tech-password-1"
                    .getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> found = http.send(HttpRequest.newBuilder(studies).header("Authorization", auth)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
            assertThat(found.body()).contains(study);

            serve.destroy(); // SIGTERM
            assertThat(serve.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            serve.destroyForcibly();
        }
        assertThat(Files.readString(out)).contains("stopped cleanly");
        assertThat(Files.readString(err)).doesNotContain("\tat ");
        Cli.Result audit = cli.run("audit", "--json");
        assertThat(audit.exit()).as(audit.toString()).isZero();
        assertThat(audit.out()).contains("SEARCH").contains(study);
        if (Files.isExecutable(Path.of("/usr/bin/storescu"))) {
            assertThat(audit.out()).contains("C-STORE");
        }
    }
}
