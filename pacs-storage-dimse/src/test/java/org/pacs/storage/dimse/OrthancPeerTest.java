package org.pacs.storage.dimse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pacs.storage.SopInstanceUid;

/**
 * Orthanc (Debian's package) with our archive in its DicomModalities: its C-ECHO, C-STORE of a study, C-FIND and
 * C-MOVE back to itself, driven through its REST API.
 */
class OrthancPeerTest extends DimseTestBed {

    static final Path ORTHANC = Path.of("/usr/sbin/Orthanc");
    Process orthanc;
    String base;

    @AfterEach
    void stopOrthanc() throws InterruptedException {
        if (orthanc != null) {
            orthanc.destroy();
            orthanc.waitFor();
        }
    }

    /**
     * A client per request: Orthanc may close a kept-alive connection just as the JDK client reuses it
     * ("header parser received no bytes"), and a fresh connection each time sidesteps that race.
     */
    private static HttpClient http() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    private String call(String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = http().send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
        return r.body();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }

    @Test
    void orthancEchoesStoresFindsAndMovesBackToItself() throws Exception {
        assumeTrue(Files.isExecutable(ORTHANC) && Corpus.present(), "Orthanc (apt-get install orthanc) or pydicom missing");
        int dicomPort = freePort();
        int httpPort = freePort();
        start(config().withDestinations(Map.of("ORTHANC", new DimseConfig.Destination("127.0.0.1", dicomPort))));
        Path home = Files.createDirectories(dir.resolve("orthanc"));
        Path cfg = home.resolve("orthanc.json");
        Files.writeString(cfg, """
                {"Name": "test", "StorageDirectory": "%s", "IndexDirectory": "%s", "HttpPort": %d,
                 "DicomPort": %d, "DicomAet": "ORTHANC", "RemoteAccessAllowed": false, "AuthenticationEnabled": false,
                 "DicomModalities": {"PACS": ["PACS", "127.0.0.1", %d]}, "DicomAlwaysAllowStore": true,
                 "DicomAlwaysAllowMove": true, "DicomAlwaysAllowFind": true, "Plugins": []}
                """.formatted(home.resolve("db"), home.resolve("db"), httpPort, dicomPort, server.port()));
        ProcessBuilder pb = new ProcessBuilder(ORTHANC.toString(), cfg.toString()).redirectErrorStream(true)
                .redirectOutput(home.resolve("orthanc.log").toFile());
        pb.environment().put("TCP_NODELAY", "1");
        orthanc = pb.start();
        base = "http://127.0.0.1:" + httpPort;
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> call("GET", "/system", null).contains("ORTHANC"));

        // A study in Orthanc: pydicom's MR_small in its own study.
        HttpResponse<String> up = http().send(HttpRequest.newBuilder(URI.create(base + "/instances"))
                .POST(HttpRequest.BodyPublishers.ofFile(Corpus.PYDICOM.resolve("MR_small.dcm"))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(up.statusCode()).as(up.body()).isEqualTo(200);
        String study = field(up.body(), "ParentStudy");
        String sopUid = "1.3.6.1.4.1.5962.1.1.4.1.1.20040826185059.5457";

        call("POST", "/modalities/PACS/echo", "{}");
        call("POST", "/modalities/PACS/store", "{\"Resources\": [\"" + study + "\"], \"Synchronous\": true}");
        assertThat(archive.exists(SopInstanceUid.of(sopUid))).isTrue();
        assertThat(events).filteredOn(e -> e.operation().equals("C-STORE")).extracting(DimseAuditSink.Event::callingAe)
                .containsOnly("ORTHANC");

        String query = call("POST", "/modalities/PACS/query",
                "{\"Level\": \"Study\", \"Query\": {\"PatientID\": \"4MR1\", \"StudyInstanceUID\": \"\"}}");
        String queryId = field(query, "ID");
        String answers = call("GET", "/queries/" + queryId + "/answers?expand", null);
        assertThat(answers).contains("1.3.6.1.4.1.5962.1.2.4.20040826185059.5457");

        // Gone from Orthanc, then moved back to it by our SCP.
        call("DELETE", "/studies/" + study, null);
        assertThat(call("GET", "/instances", null).replaceAll("\\s", "")).isEqualTo("[]");
        call("POST", "/queries/" + queryId + "/answers/0/retrieve", "{\"TargetAet\": \"ORTHANC\", \"Synchronous\": true}");
        String back = call("GET", "/instances?expand", null);
        assertThat(back).contains(sopUid);
        assertThat(events).filteredOn(e -> e.operation().equals("C-MOVE")).singleElement()
                .satisfies(e -> assertThat(e.completed()).isEqualTo(1));
    }
}
