package org.pacs.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.pacs.storage.StorageException;

class JsonTest {

    private static final ObjectMapper READER = new ObjectMapper();

    @Test
    void keepsTheShapeTheCommandsPrint() {
        String json = Json.write(Json.object("name", "x", "count", 3, "list", List.of(1, 2), "empty", Map.of(),
                "none", List.of(), "nested", Json.object("ok", true, "missing", null)));

        assertThat(json).isEqualTo("""
                {
                  "name": "x",
                  "count": 3,
                  "list": [
                    1,
                    2
                  ],
                  "empty": {},
                  "none": [],
                  "nested": {
                    "ok": true,
                    "missing": null
                  }
                }""");
    }

    @Test
    void escapesQuotesBackslashesAndControlCharactersAndKeepsNonAscii() throws Exception {
        String name = "O'Brien \"Bob\" C:\\dicom\\x\nline2\ttab\r\u0000\u0001\u001f\u007f Müller 山田^太郎 😀";

        String json = Json.write(Json.object("PatientName", name, "quote\"key\\", 1));

        JsonNode back = READER.readTree(json);
        assertThat(back.get("PatientName").asText()).isEqualTo(name);
        assertThat(back.get("quote\"key\\").asInt()).isEqualTo(1);
        assertThat(json).contains("\\\"Bob\\\"").contains("C:\\\\dicom\\\\x").contains("\\nline2\\ttab\\r")
                .contains("\\u0000\\u0001\\u001F").contains("Müller 山田^太郎 😀")
                .doesNotContain("\n" + "line2").doesNotContain("\u0001");
    }

    @Test
    void valuesThatAreNotJsonTypesPrintAsTheirStringForm() throws Exception {
        Instant t = Instant.parse("2024-05-01T10:15:30Z");
        String json = Json.write(Json.object("at", t, "path", Path.of("a/b"), "reason",
                StorageException.Reason.NOT_FOUND, "took", Duration.ofSeconds(2), "maybe", Optional.of("yes"),
                "nothing", Optional.empty(), "nan", Double.NaN, "ratio", 0.5, "big", Long.MAX_VALUE));

        JsonNode back = READER.readTree(json);
        assertThat(back.get("at").asText()).isEqualTo("2024-05-01T10:15:30Z");
        assertThat(back.get("path").asText()).isEqualTo("a/b");
        assertThat(back.get("reason").asText()).isEqualTo("NOT_FOUND");
        assertThat(back.get("took").asLong()).isEqualTo(2000);
        assertThat(back.get("maybe").asText()).isEqualTo("yes");
        assertThat(back.get("nothing").isNull()).isTrue();
        assertThat(back.get("nan").isNull()).isTrue();
        assertThat(back.get("ratio").asDouble()).isEqualTo(0.5);
        assertThat(back.get("big").asLong()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aTopLevelListIsOneDocument() throws Exception {
        String json = Json.write(List.of(Json.object("SOPInstanceUID", "1.2.3"), Json.object("SOPInstanceUID", "1.2.4")));
        assertThat(READER.readTree(json).size()).isEqualTo(2);
        assertThat(json).startsWith("[\n  {\n    \"SOPInstanceUID\": \"1.2.3\"\n  },");
    }
}
