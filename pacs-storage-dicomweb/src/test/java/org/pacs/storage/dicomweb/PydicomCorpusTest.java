package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.testkit.DicomSamples;

/**
 * pydicom's sample files through STOW and back through WADO: byte-identical; their metadata is well-formed
 * DICOM JSON; frames of those with Pixel Data come back or are refused with a status and a message.
 */
class PydicomCorpusTest {

    @TempDir
    Path dir;

    @Test
    void everyStorableSampleRoundTripsByteForByte() throws Exception {
        DicomSamples.assumeAvailable();
        ObjectMapper json = new ObjectMapper();
        SoftAssertions soft = new SoftAssertions();
        List<String> compared = new ArrayList<>();
        try (DicomWebFixture web = new DicomWebFixture(dir)) {
            for (Path file : DicomSamples.storable()) {
                byte[] bytes = Files.readAllBytes(file);
                HttpResponse<String> stored = web.stow("tina", "/studies", List.of(bytes));
                if (stored.statusCode() == 409 && stored.body().contains("[273]")) {
                    continue; // 0x0111: another sample with the same SOP Instance UID was stored first
                }
                soft.assertThat(stored.statusCode()).as(file + ": " + stored.body()).isEqualTo(200);
                if (stored.statusCode() != 200) {
                    continue;
                }
                String url = json.readTree(stored.body()).get("00081199").get("Value").get(0).get("00081190")
                        .get("Value").get(0).asText();
                String path = url.substring(web.url("").length());
                HttpResponse<byte[]> back = web.getBytes("victor", path, null);
                soft.assertThat(back.statusCode()).as(file.toString()).isEqualTo(200);
                if (back.statusCode() == 200) {
                    soft.assertThat(DicomWebFixture.parts(back)).as(file.toString()).singleElement().isEqualTo(bytes);
                }
                HttpResponse<String> meta = web.get("victor", path + "/metadata", null);
                soft.assertThat(meta.statusCode()).as(file + " metadata: " + meta.body()).isEqualTo(200);
                if (meta.statusCode() == 200) {
                    JsonNode m = json.readTree(meta.body());
                    soft.assertThat(m.get(0).get("00080018")).as(file + " SOP Instance UID").isNotNull();
                    if (m.get(0).has("7FE00010")) {
                        HttpResponse<byte[]> frame = web.getBytes("victor", path + "/frames/1", null);
                        soft.assertThat(frame.statusCode()).as(file + " frame 1: " + new String(frame.body()))
                                .isIn(200, 501);
                        soft.assertThat(new String(frame.body())).doesNotContain("at org.");
                    }
                }
                compared.add(file.getFileName().toString());
            }
        }
        soft.assertAll();
        assertThat(compared).hasSizeGreaterThan(50);
    }
}
