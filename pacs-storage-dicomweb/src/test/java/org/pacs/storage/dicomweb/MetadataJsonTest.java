package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.testkit.DicomSamples;

/**
 * WADO-RS /metadata against pydicom's own DICOM JSON of the same files ({@code Dataset.to_json_dict}, run in a
 * separate process): every attribute pydicom writes with a value, we write with the same VR and value. Left to
 * the dictionary work in the core (and so skipped here): person names and attributes an implicit-VR read
 * leaves as UN.
 */
class MetadataJsonTest {

    static final String ORACLE = String.join("\n",
            "import sys, json, pydicom",
            "out = {}",
            "for f in sys.argv[1:]:",
            "    try:",
            "        d = pydicom.dcmread(f, stop_before_pixels=True)",
            "        out[f] = d.to_json_dict(bulk_data_threshold=1024, bulk_data_element_handler=lambda e: 'bulk')",
            "    except Exception as e:",
            "        out[f] = {'error': str(e)}",
            "print(json.dumps(out))");

    @TempDir
    Path dir;

    @Test
    void metadataEqualsPydicomsDicomJson() throws Exception {
        DicomSamples.assumeAvailable();
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "no /usr/bin/python3 for the pydicom oracle");
        List<Path> samples = DicomSamples.storable();
        List<String> cmd = new ArrayList<>(List.of(python.toString(), "-c", ORACLE));
        samples.forEach(p -> cmd.add(p.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectOutput(dir.resolve("oracle.json").toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assumeTrue(p.exitValue() == 0, "pydicom could not run");
        ObjectMapper json = new ObjectMapper();
        JsonNode oracle = json.readTree(dir.resolve("oracle.json").toFile());
        List<String> differences = new ArrayList<>();
        int compared = 0;
        try (DicomWebFixture web = new DicomWebFixture(dir.resolve("server"))) {
            for (Path file : samples) {
                JsonNode expected = oracle.get(file.toString());
                if (expected == null || expected.has("error")) {
                    continue;
                }
                HttpResponse<String> stored = web.stow("tina", "/studies", List.of(Files.readAllBytes(file)));
                if (stored.statusCode() != 200) {
                    continue; // a sample sharing another's SOP Instance UID
                }
                String url = json.readTree(stored.body()).get("00081199").get("Value").get(0).get("00081190")
                        .get("Value").get(0).asText();
                String path = url.substring(web.url("").length());
                JsonNode ours = json.readTree(web.get("victor", path + "/metadata", null).body()).get(0);
                compare(file.getFileName().toString(), "", expected, ours, differences);
                compared++;
                web.http.send(web.request("ada", path).DELETE().build(), HttpResponse.BodyHandlers.discarding());
            }
        }
        assertThat(compared).isGreaterThan(50);
        assertThat(differences).isEmpty();
    }

    private static void compare(String file, String at, JsonNode expected, JsonNode ours, List<String> out) {
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String tag = e.getKey();
            JsonNode want = e.getValue();
            String vr = want.path("vr").asText();
            if (tag.endsWith("0000") || tag.startsWith("7FE0") || vr.equals("PN") || !want.has("Value")) {
                continue;
            }
            JsonNode got = ours.get(tag);
            String where = file + " " + at + tag;
            if (got == null) {
                out.add(where + ": missing (pydicom " + want + ")");
                continue;
            }
            String gotVr = got.path("vr").asText();
            if (gotVr.equals("UN") && !vr.equals("UN") || !gotVr.equals(vr) && Set.of(gotVr, vr).equals(Set.of("US", "SS"))) {
                continue; // implicit VR: UN without the full dictionary, "US or SS" tags: the core's dictionary work
            }
            if (!got.path("vr").asText().equals(vr)) {
                out.add(where + ": vr " + got.path("vr").asText() + " != " + vr);
                continue;
            }
            if (vr.equals("SQ")) {
                JsonNode wi = want.get("Value");
                JsonNode gi = got.path("Value");
                if (gi.size() != wi.size()) {
                    out.add(where + ": " + gi.size() + " items != " + wi.size());
                    continue;
                }
                for (int i = 0; i < wi.size(); i++) {
                    compare(file, at + tag + "[" + i + "].", wi.get(i), gi.get(i), out);
                }
            } else if (!sameValues(want.get("Value"), got.path("Value"))) {
                out.add(where + ": " + got.path("Value") + " != pydicom " + want.get("Value"));
            }
        }
    }

    private static boolean sameValues(JsonNode want, JsonNode got) {
        if (want.size() != got.size()) {
            return false;
        }
        for (int i = 0; i < want.size(); i++) {
            JsonNode w = want.get(i);
            JsonNode g = got.get(i);
            if (w.isNumber() && g.isNumber()) {
                // FL values: we write the float's shortest form, pydicom its double expansion; same float32.
                boolean same = new BigDecimal(w.asText()).compareTo(new BigDecimal(g.asText())) == 0
                        || (float) w.asDouble() == (float) g.asDouble();
                if (!same) {
                    return false;
                }
            } else if (w.isTextual() && (g.isTextual() || g.isNull())) {
                // PS3.18 F.2.5: an empty value is null (pydicom writes ""); CS padding is not significant.
                if (!w.asText().strip().equals(g.isNull() ? "" : g.asText().strip())) {
                    return false;
                }
            } else if (!w.equals(g)) {
                return false;
            }
        }
        return true;
    }
}
