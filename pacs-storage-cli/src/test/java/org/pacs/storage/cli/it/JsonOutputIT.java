package org.pacs.storage.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --json} through the real jar, with a string no hand-written escaper would get right by accident. */
class JsonOutputIT {

    @TempDir
    Path dir;

    @Test
    void aFileNameWithQuotesBackslashesControlCharactersAndNonAsciiComesBackIntact() throws Exception {
        String name = "not \"dicom\" \\ back\tslash\u0001 Müller 山田 😀.dcm";
        Path bad = Files.writeString(Files.createDirectories(dir.resolve("in")).resolve(name), "not a DICOM file");

        Cli.Result r = new Cli(dir).run("store", "--json", dir.resolve("in").toString());

        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.get("stored").asInt()).as(r.toString()).isZero();
        assertThat(doc.get("failures").get(0).get("file").asText()).isEqualTo(bad.toString());
        assertThat(r.out()).contains("\\\"dicom\\\" \\\\ back\\tslash\\u0001 Müller 山田 😀");
    }
}
