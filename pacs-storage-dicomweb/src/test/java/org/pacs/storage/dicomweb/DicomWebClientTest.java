package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.testkit.SyntheticInstances;

/**
 * dicomweb-client (npm, the client OHIF uses; pinned in node/package.json with its lock file) against our
 * server: store, search studies, series and instances, retrieve the instance, its metadata, a frame and its
 * bulk data. Installed with npm ci on first run; skipped with a reason where node or npm is missing.
 */
class DicomWebClientTest {

    static final Path NODE_DIR = Path.of("node").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void dicomwebClientStoresSearchesAndRetrieves() throws Exception {
        assumeTrue(onPath("node") && onPath("npm"), "node and npm are not on the PATH; install Node.js 20+");
        install();
        String study = UidGenerator.newUid();
        String series = UidGenerator.newUid();
        String sop = UidGenerator.newUid();
        DicomDataset h = SyntheticInstances.header("PID-7", "Client^Test", study, series, sop, "CT", "20240105");
        byte[] instance = SyntheticInstances.bytes(h, 128 * 128, 5);
        Path file = dir.resolve("instance.dcm");
        Files.write(file, instance);
        byte[] pixels = Arrays.copyOfRange(instance, instance.length - 128 * 128, instance.length);
        try (DicomWebFixture web = new DicomWebFixture(dir.resolve("server"))) {
            Process p = new ProcessBuilder("node", NODE_DIR.resolve("client-test.js").toString(), web.url(""), "tina",
                    DicomWebFixture.PASSWORD, file.toString(), study, series, sop)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("node.log").toFile()).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("node finished").isTrue();
            String log = Files.readString(dir.resolve("node.log"));
            assertThat(p.exitValue()).as(log).isZero();
            JsonNode r = new ObjectMapper().readTree(log.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                    .orElseThrow());
            assertThat(r.get("studies").asInt()).isEqualTo(1);
            assertThat(r.get("studyUid").asText()).isEqualTo(study);
            assertThat(r.get("series").asInt()).isEqualTo(1);
            assertThat(r.get("instances").asInt()).isEqualTo(1);
            assertThat(r.get("instanceSha").asText()).isEqualTo(sha(instance));
            assertThat(r.get("metadataSop").asText()).isEqualTo(sop);
            assertThat(r.get("frames").asInt()).isEqualTo(1);
            assertThat(r.get("frameSha").asText()).isEqualTo(sha(pixels));
            assertThat(r.get("bulkSha").asText()).isEqualTo(sha(pixels));
            assertThat(h.getUid(Tag.SOPInstanceUID)).hasValue(sop);
        }
    }

    private static void install() throws IOException, InterruptedException {
        if (Files.isRegularFile(NODE_DIR.resolve("node_modules/.package-lock.json"))
                && Files.isDirectory(NODE_DIR.resolve("node_modules/dicomweb-client"))) {
            return;
        }
        Process p = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(NODE_DIR.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("npm ci finished").isTrue();
        assertThat(p.exitValue()).as("npm ci in " + NODE_DIR).isZero();
    }

    private static boolean onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

}
