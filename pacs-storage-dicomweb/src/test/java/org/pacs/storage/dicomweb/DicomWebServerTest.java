package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.security.AccessEvent;
import org.pacs.storage.security.AccessEventQuery;
import org.pacs.storage.testkit.SyntheticInstances;

/** STOW, QIDO, WADO, DELETE and capabilities against a real server over a real FileStorage. */
class DicomWebServerTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    DicomWebFixture web;
    final String study = UidGenerator.newUid();
    final String series = UidGenerator.newUid();

    @BeforeEach
    void start() {
        web = new DicomWebFixture(dir);
    }

    @AfterEach
    void stop() {
        web.close();
    }

    byte[] instance(String sop, String patientName, int number) {
        DicomDataset h = SyntheticInstances.header("PID-1", patientName, study, series, sop, "CT", "20240102");
        h.set(Tag.InstanceNumber, VR.IS, Integer.toString(number));
        return SyntheticInstances.bytes(h, 64 * 64, number);
    }

    @Test
    void storesSearchesRetrievesAndDeletes() throws Exception {
        String sop1 = UidGenerator.newUid();
        String sop2 = UidGenerator.newUid();
        byte[] one = instance(sop1, "Doe^Jane", 1);
        byte[] two = instance(sop2, "Doe^Jane", 2);

        HttpResponse<String> stored = web.stow("tina", "/studies", List.of(one, two));
        assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
        assertThat(stored.headers().firstValue("Content-Type")).hasValue("application/dicom+json");
        JsonNode refs = JSON.readTree(stored.body()).get("00081199").get("Value");
        assertThat(refs).hasSize(2);
        assertThat(refs.get(0).get("00081155").get("Value").get(0).asText()).isEqualTo(sop1);
        assertThat(refs.get(0).get("00081190").get("Value").get(0).asText())
                .endsWith("/studies/" + study + "/series/" + series + "/instances/" + sop1);
        assertThat(web.archive.exists(SopInstanceUid.of(sop2))).isTrue();

        JsonNode studies = JSON.readTree(web.get("victor", "/studies?PatientName=Doe*", null).body());
        assertThat(studies).hasSize(1);
        JsonNode s = studies.get(0);
        assertThat(s.get("0020000D").get("Value").get(0).asText()).isEqualTo(study);
        assertThat(s.get("00100010").get("vr").asText()).isEqualTo("PN");
        assertThat(s.get("00100010").get("Value").get(0).get("Alphabetic").asText()).isEqualTo("Doe^Jane");
        assertThat(s.get("00201208").get("Value").get(0).asInt()).isEqualTo(2);
        assertThat(s.get("00080061").get("Value").get(0).asText()).isEqualTo("CT");
        assertThat(JSON.readTree(web.get("victor", "/studies?PatientName=doe*", null).body())).isEmpty();
        assertThat(JSON.readTree(web.get("victor", "/studies?PatientName=doe*&fuzzymatching=true", null).body()))
                .hasSize(1);

        JsonNode seriesList = JSON.readTree(web.get("victor", "/studies/" + study + "/series", null).body());
        assertThat(seriesList).hasSize(1);
        assertThat(seriesList.get(0).get("00201209").get("Value").get(0).asInt()).isEqualTo(2);
        JsonNode instances = JSON.readTree(web.get("victor", "/studies/" + study + "/series/" + series
                + "/instances?includefield=all", null).body());
        assertThat(instances).hasSize(2);
        JsonNode paged = JSON.readTree(web.get("victor", "/instances?limit=1&offset=1", null).body());
        assertThat(paged).hasSize(1);
        assertThat(paged.get(0).get("00080018").get("Value").get(0).asText()).isEqualTo(instances.get(1)
                .get("00080018").get("Value").get(0).asText());

        String instancePath = "/studies/" + study + "/series/" + series + "/instances/" + sop1;
        HttpResponse<byte[]> retrieved = web.getBytes("victor", instancePath,
                "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
        assertThat(retrieved.statusCode()).isEqualTo(200);
        assertThat(DicomWebFixture.parts(retrieved)).singleElement().isEqualTo(one);
        HttpResponse<byte[]> wholeStudy = web.getBytes("victor", "/studies/" + study, null);
        assertThat(DicomWebFixture.parts(wholeStudy)).hasSize(2);
        assertThat(web.getBytes("victor", instancePath,
                "multipart/related; type=\"application/dicom\"; transfer-syntax=1.2.840.10008.1.2.4.50").statusCode())
                .isEqualTo(406);

        JsonNode meta = JSON.readTree(web.get("victor", instancePath + "/metadata", null).body());
        assertThat(meta.get(0).get("00080018").get("Value").get(0).asText()).isEqualTo(sop1);
        assertThat(meta.get(0).get("7FE00010").get("BulkDataURI").asText())
                .endsWith(instancePath + "/bulkdata/7FE00010");
        assertThat(JSON.readTree(web.get("victor", "/studies/" + study + "/metadata", null).body())).hasSize(2);

        HttpResponse<byte[]> frame = web.getBytes("victor", instancePath + "/frames/1",
                "multipart/related; type=\"application/octet-stream\"");
        assertThat(frame.statusCode()).isEqualTo(200);
        byte[] pixels = java.util.Arrays.copyOfRange(one, one.length - 64 * 64, one.length);
        assertThat(DicomWebFixture.parts(frame)).singleElement().isEqualTo(pixels);
        assertThat(DicomWebFixture.parts(web.getBytes("victor", instancePath + "/bulkdata/7FE00010", null)))
                .singleElement().isEqualTo(pixels);
        HttpResponse<String> noFrame = web.get("victor", instancePath + "/frames/2", null);
        assertThat(noFrame.statusCode()).isEqualTo(404);
        assertThat(noFrame.body()).contains("has 1 frame(s)");

        HttpRequest del = web.request("tina", instancePath).DELETE().build();
        assertThat(web.http.send(del, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(403);
        assertThat(web.archive.exists(SopInstanceUid.of(sop1))).isTrue();
        HttpRequest adminDel = web.request("ada", instancePath).DELETE().build();
        assertThat(web.http.send(adminDel, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
        assertThat(web.archive.exists(SopInstanceUid.of(sop1))).isFalse();
        assertThat(web.archive.exists(SopInstanceUid.of(sop2))).isTrue();

        List<AccessEvent> events = web.security.accessEvents(new AccessEventQuery(null, study, null, 0));
        assertThat(events).extracting(AccessEvent::action).contains("STORE", "SEARCH_SERIES", "RETRIEVE",
                "METADATA", "FRAMES", "BULKDATA", "DELETE");
        assertThat(events).filteredOn(e -> e.action().equals("DELETE")).extracting(AccessEvent::username,
                AccessEvent::outcome).containsExactly(org.assertj.core.groups.Tuple.tuple("tina", "403 User tina"
                        + " (roles [TECHNOLOGIST]) may not DELETE studies; ask an administrator for a role that may."),
                org.assertj.core.groups.Tuple.tuple("ada", "204 deleted 1"));
        assertThat(events).allSatisfy(e -> assertThat(e.address()).isEqualTo("127.0.0.1"));
    }

    @Test
    void stowReportsEachFailedPartWithItsReason() throws Exception {
        String good = UidGenerator.newUid();
        byte[] ok = instance(good, "Roe^Rick", 1);
        byte[] notDicom = "this is not a DICOM file at all, just text".getBytes();
        HttpResponse<String> some = web.stow("tina", "/studies", List.of(ok, notDicom));
        assertThat(some.statusCode()).as(some.body()).isEqualTo(202);
        JsonNode body = JSON.readTree(some.body());
        assertThat(body.get("00081199").get("Value")).hasSize(1);
        JsonNode failed = body.get("00081198").get("Value").get(0);
        assertThat(failed.get("00081197").get("Value").get(0).asInt()).isEqualTo(0xC000);
        assertThat(failed.get("00000902").get("Value").get(0).asText()).contains("not a readable DICOM");

        String other = UidGenerator.newUid();
        HttpResponse<String> mismatch = web.stow("tina", "/studies/" + other, List.of(instance(UidGenerator.newUid(),
                "Roe^Rick", 2)));
        assertThat(mismatch.statusCode()).isEqualTo(409);
        JsonNode m = JSON.readTree(mismatch.body()).get("00081198").get("Value").get(0);
        assertThat(m.get("00081197").get("Value").get(0).asInt()).isEqualTo(0xA900);
        assertThat(m.get("00000902").get("Value").get(0).asText()).contains("differs from the study " + other);
        assertThat(JSON.readTree(web.get("victor", "/studies/" + other + "/series", null).body())).isEmpty();

        HttpResponse<String> single = web.http.send(web.request("tina", "/studies/" + study)
                .header("Content-Type", "application/dicom")
                .POST(HttpRequest.BodyPublishers.ofByteArray(instance(UidGenerator.newUid(), "Roe^Rick", 3))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(single.statusCode()).as(single.body()).isEqualTo(200);
    }

    @Test
    void rolesAndCredentialsAreEnforced() throws Exception {
        HttpResponse<String> anonymous = web.get(null, "/studies", null);
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("Basic realm="));
        HttpResponse<String> wrong = web.http.send(web.request(null, "/studies")
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("victor:nope".getBytes()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong username or password").doesNotContain("Exception");
        HttpResponse<String> viewerStores = web.stow("victor", "/studies", List.of(instance(UidGenerator.newUid(),
                "A^B", 1)));
        assertThat(viewerStores.statusCode()).isEqualTo(403);
        assertThat(web.archive.list()).isEmpty();
        assertThat(web.get("victor", "/studies", null).statusCode()).isEqualTo(200);

        HttpResponse<String> caps = web.http.send(web.request(null, "").method("OPTIONS",
                HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(caps.statusCode()).isEqualTo(200);
        assertThat(caps.body()).contains("<resource path=\"studies/{study}/series/{series}/instances/{instance}/frames/{frames}\">");
    }

    @Test
    void badQueriesAndPathsGetAClearStatus() throws Exception {
        HttpResponse<String> unknown = web.get("victor", "/studies?PatientNmae=X", null);
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("Unknown query key 'PatientNmae'");
        HttpResponse<String> negative = web.get("victor", "/studies?limit=-1", null);
        assertThat(negative.statusCode()).isEqualTo(400);
        assertThat(negative.body()).contains("limit=-1 is not allowed");
        HttpResponse<String> huge = web.get("victor", "/studies?offset=99999999999999999999", null);
        assertThat(huge.statusCode()).isEqualTo(400);
        assertThat(huge.body()).contains("offset=");
        for (String path : List.of("/studies/..%2F..%2Fetc/series", "/studies/%2e%2e/%2e%2e/series",
                "/studies/1.2.3/../../../etc/passwd")) {
            HttpResponse<String> traversal = web.get("victor", path, null);
            assertThat(traversal.statusCode()).as(path).isIn(400, 404);
            assertThat(traversal.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v)
                    .startsWith("application/json"));
            assertThat(traversal.body()).contains("\"message\"").doesNotContain("at org.").doesNotContain("<html");
        }
        HttpResponse<String> badUid = web.get("victor", "/studies/1.2.abc/metadata", null);
        assertThat(badUid.statusCode()).isEqualTo(400);
        assertThat(badUid.body()).contains("is not a valid DICOM UID");
        assertThat(web.get("victor", "/studies/1.2.3/metadata", null).statusCode()).isEqualTo(404);
        assertThat(web.get("victor", "/nothing", null).statusCode()).isEqualTo(404);
        HttpResponse<String> outside = web.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                web.url("").replace("/dicom-web", "/elsewhere"))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(outside.statusCode()).isEqualTo(404);
        assertThat(outside.body()).contains("base path");
        assertThat(web.get("victor", "/studies?PatientName=X", "application/dicom+xml").statusCode()).isEqualTo(406);
    }
}
