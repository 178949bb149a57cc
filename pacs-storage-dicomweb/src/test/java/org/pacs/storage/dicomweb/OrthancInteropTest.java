package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.testkit.FreePorts;
import org.pacs.storage.testkit.SyntheticInstances;

/**
 * Orthanc (Debian's orthanc and orthanc-dicomweb) with our server in DicomWeb.Servers: Orthanc pushes a study
 * to us (STOW-RS), finds it (QIDO-RS), forgets its own copy, pulls it back (WADO-RS), and every file it then
 * holds is byte-identical to what it first had. Skipped with a reason where Orthanc or the plugin is missing.
 */
class OrthancInteropTest {

    static final Path ORTHANC = Path.of("/usr/sbin/Orthanc");
    static final Path PLUGIN = Path.of("/usr/share/orthanc/plugins/libOrthancDicomWeb.so");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    /** A fresh client per call: Orthanc's embedded server drops idle keep-alive connections without a word. */
    private static HttpClient orthancClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @Test
    void orthancStoresQueriesAndRetrievesThroughOurServer() throws Exception {
        assumeTrue(Files.isExecutable(ORTHANC) && Files.isRegularFile(PLUGIN),
                "Orthanc with its DICOMweb plugin is not installed (apt-get install orthanc orthanc-dicomweb)");
        try (DicomWebFixture web = new DicomWebFixture(dir.resolve("pacs"))) {
            int httpPort = FreePorts.find();
            Map<String, Object> server = Map.of("Url", web.url("/"), "Username", "tina",
                    "Password", DicomWebFixture.PASSWORD);
            Map<String, Object> config = new HashMap<>();
            config.put("Name", "orthanc-interop");
            config.put("StorageDirectory", dir.resolve("orthanc-storage").toString());
            config.put("IndexDirectory", dir.resolve("orthanc-index").toString());
            config.put("HttpPort", httpPort);
            config.put("DicomPort", FreePorts.find());
            config.put("RemoteAccessAllowed", false);
            config.put("AuthenticationEnabled", false);
            config.put("Plugins", List.of(PLUGIN.toString()));
            config.put("DicomWeb", Map.of("Enable", true, "Root", "/dicom-web/", "Servers", Map.of("pacs", server)));
            Path configFile = dir.resolve("orthanc.json");
            JSON.writeValue(configFile.toFile(), config);
            ProcessBuilder pb = new ProcessBuilder(ORTHANC.toString(), "--verbose", configFile.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("orthanc.log").toFile());
            pb.environment().put("TCP_NODELAY", "1");
            Process orthanc = pb.start();
            try {
                String o = "http://127.0.0.1:" + httpPort;
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> orthanc.isAlive() && status(o + "/system") == 200 || !orthanc.isAlive());
                assertThat(orthanc.isAlive()).as(Files.readString(dir.resolve("orthanc.log"))).isTrue();
                run(o, web);
            } catch (AssertionError | Exception e) {
                System.out.println("Orthanc alive: " + orthanc.isAlive() + (orthanc.isAlive() ? ""
                        : " exit " + orthanc.exitValue()));
                System.out.println("Orthanc's log:\n" + Files.readString(dir.resolve("orthanc.log")));
                System.out.println("our audit trail: " + web.security.accessEvents(
                        org.pacs.storage.security.AccessEventQuery.all()));
                throw e;
            } finally {
                orthanc.destroy();
                orthanc.waitFor();
            }
        }
    }

    private void run(String o, DicomWebFixture web) throws Exception {
        String study = UidGenerator.newUid();
        String series = UidGenerator.newUid();
        Map<String, byte[]> originals = new HashMap<>();
        for (int i = 1; i <= 3; i++) {
            String sop = UidGenerator.newUid();
            DicomDataset h = SyntheticInstances.header("PID-ORTHANC", "Orthanc^Interop", study, series, sop, "CT",
                    "20240107");
            h.set(Tag.InstanceNumber, VR.IS, Integer.toString(i));
            byte[] b = SyntheticInstances.bytes(h, 96 * 96, i);
            originals.put(sop, b);
            assertThat(post(o + "/instances", "application/dicom", b).statusCode()).isEqualTo(200);
        }
        String orthancStudy = JSON.readTree(post(o + "/tools/lookup", "text/plain", study.getBytes()).body())
                .get(0).get("ID").asText();

        HttpResponse<String> stow = post(o + "/dicom-web/servers/pacs/stow", "application/json",
                JSON.writeValueAsBytes(Map.of("Resources", List.of(orthancStudy))));
        assertThat(stow.statusCode()).as(stow.body()).isEqualTo(200);
        for (Map.Entry<String, byte[]> e : originals.entrySet()) {
            try (var in = web.archive.open(SopInstanceUid.of(e.getKey()))) {
                assertThat(in.readAllBytes()).as("what Orthanc pushed to us").isEqualTo(e.getValue());
            }
        }

        HttpResponse<String> qido = post(o + "/dicom-web/servers/pacs/qido", "application/json",
                JSON.writeValueAsBytes(Map.of("Uri", "/studies/" + study + "/series/" + series + "/instances")));
        assertThat(qido.statusCode()).as(qido.body()).isEqualTo(200);
        List<String> found = new ArrayList<>();
        for (JsonNode n : JSON.readTree(qido.body())) {
            JsonNode v = n.get("00080018").get("Value"); // Orthanc's proxy answers its own shape: a plain string
            found.add(v.isArray() ? v.get(0).asText() : v.asText());
        }
        assertThat(found).containsExactlyInAnyOrderElementsOf(originals.keySet());

        assertThat(orthancClient().send(HttpRequest.newBuilder(URI.create(o + "/studies/" + orthancStudy)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(get(o + "/instances").body())).isEmpty();
        HttpResponse<String> retrieve = post(o + "/dicom-web/servers/pacs/retrieve", "application/json",
                JSON.writeValueAsBytes(Map.of("Resources", List.of(Map.of("Study", study)))));
        assertThat(retrieve.statusCode()).as(retrieve.body()).isEqualTo(200);
        JsonNode ids = JSON.readTree(get(o + "/instances").body());
        assertThat(ids).hasSize(originals.size());
        for (JsonNode id : ids) {
            String sop = JSON.readTree(get(o + "/instances/" + id.asText() + "/simplified-tags").body())
                    .get("SOPInstanceUID").asText();
            HttpResponse<byte[]> file = orthancClient().send(HttpRequest.newBuilder(URI.create(o + "/instances/" + id.asText()
                    + "/file")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(file.body()).as("instance " + sop + " after the round trip").isEqualTo(originals.get(sop));
        }
    }

    private int status(String url) {
        try {
            return get(url).statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return orthancClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String type, byte[] body) throws IOException, InterruptedException {
        return orthancClient().send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
