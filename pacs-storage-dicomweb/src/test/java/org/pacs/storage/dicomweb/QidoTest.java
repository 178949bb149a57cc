package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.testkit.SyntheticInstances;

/** QIDO-RS matching through the archive's matcher: UID lists, ranges, wildcards, tags, includefield, paging. */
class QidoTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    DicomWebFixture web;
    final List<String> studies = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        web = new DicomWebFixture(dir);
        String[][] rows = {{"Smith^Ann", "20240110", "CT"}, {"Smith^Bob", "20240220", "MR"}, {"Jones^Cy", "20240315", "CT"}};
        List<byte[]> all = new ArrayList<>();
        for (String[] r : rows) {
            String study = UidGenerator.newUid();
            studies.add(study);
            DicomDataset h = SyntheticInstances.header("PID-" + r[0], r[0], study, UidGenerator.newUid(),
                    UidGenerator.newUid(), r[2], r[1]);
            h.set(Tag.StudyDescription, VR.LO, "Study of " + r[0]);
            all.add(SyntheticInstances.bytes(h, 256, 1));
        }
        assertThat(web.stow("tina", "/studies", all).statusCode()).isEqualTo(200);
    }

    @AfterEach
    void stop() {
        web.close();
    }

    JsonNode search(String query) throws Exception {
        var r = web.get("victor", "/studies?" + query, "application/dicom+json");
        assertThat(r.statusCode()).as(query + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    List<String> studyUids(JsonNode results) {
        List<String> out = new ArrayList<>();
        results.forEach(n -> out.add(n.get("0020000D").get("Value").get(0).asText()));
        return out;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void matchesLikeTheArchive() throws Exception {
        assertThat(studyUids(search("PatientName=Smith*"))).containsExactlyInAnyOrder(studies.get(0), studies.get(1));
        assertThat(studyUids(search("StudyDate=20240201-20240401"))).containsExactlyInAnyOrder(studies.get(1),
                studies.get(2));
        assertThat(studyUids(search("StudyInstanceUID=" + studies.get(0) + "," + studies.get(2))))
                .containsExactlyInAnyOrder(studies.get(0), studies.get(2));
        assertThat(studyUids(search("00100010=" + enc("Jones^Cy")))).containsExactly(studies.get(2));
        assertThat(studyUids(search("ModalitiesInStudy=MR"))).containsExactly(studies.get(1));
        assertThat(studyUids(search("PatientName=" + enc("?mith^Ann")))).containsExactly(studies.get(0));
        assertThat(search("PatientName=Nobody")).isEmpty();
    }

    @Test
    void includefieldAndPaging() throws Exception {
        JsonNode plain = search("PatientName=Jones*");
        assertThat(plain.get(0).get("00081030").get("Value").get(0).asText()).isEqualTo("Study of Jones^Cy");
        JsonNode withField = search("PatientName=Jones*&includefield=BodyPartExamined,00100040");
        assertThat(withField.get(0).has("00100040")).isTrue();
        assertThat(withField.get(0).get("00100040").get("Value").get(0).asText()).isEqualTo("O");
        assertThat(withField.get(0).has("00180015")).isTrue();

        List<String> everything = studyUids(search("includefield=all"));
        assertThat(everything).hasSize(3);
        var limited = web.get("victor", "/studies?limit=2", null);
        assertThat(JSON.readTree(limited.body())).hasSize(2);
        assertThat(limited.headers().firstValue("Warning")).hasValueSatisfying(w -> assertThat(w)
                .contains("more results").contains("offset=2")); // paged in SQL: one more row says so
        assertThat(studyUids(search("limit=2&offset=2"))).containsExactly(everything.get(2));
        assertThat(search("offset=3")).isEmpty();
        assertThat(search("offset=2147483647")).isEmpty();
        for (String bad : List.of("limit=0", "limit=abc", "fuzzymatching=maybe", "Rows=512",
                "00081110.00081150=1.2.3", "PatientName=A&PatientName=B", "includefield=NoSuchKeyword")) {
            var r = web.get("victor", "/studies?" + bad, null);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(JSON.readTree(r.body()).get("message").asText()).as(bad).isNotBlank();
        }
    }
}
