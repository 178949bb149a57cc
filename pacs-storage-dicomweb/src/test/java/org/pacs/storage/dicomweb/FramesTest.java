package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.testkit.DicomSamples;

/**
 * Frames of real multi-frame and compressed samples, native and encapsulated, compared with the frames pydicom
 * (Debian's python3-pydicom, run as a separate process) cuts from the same files; frames asked out of order
 * come back in the order asked.
 */
class FramesTest {

    static final List<String> SAMPLES = List.of("SC_rgb_rle_2frame.dcm", "SC_rgb_rle_32bit_2frame.dcm",
            "SC_rgb_rle_16bit_2frame.dcm", "rtdose_rle.dcm", "JPEG2000.dcm", "SC_rgb_jpeg_dcmtk.dcm", "MR_small_RLE.dcm",
            "rtdose.dcm", "MR_small.dcm", "emri_small_jpeg_2k_lossless.dcm");

    static final String ORACLE = String.join("\n",
            "import sys, json, hashlib, pydicom",
            "from pydicom.encaps import generate_pixel_data_frame",
            "out = {}",
            "for f in sys.argv[1:]:",
            "    d = pydicom.dcmread(f)",
            "    n = int(d.get('NumberOfFrames', 1) or 1)",
            "    if d.file_meta.TransferSyntaxUID.is_compressed:",
            "        frames = list(generate_pixel_data_frame(d.PixelData, n))",
            "    else:",
            "        size = len(d.PixelData) // n",
            "        frames = [d.PixelData[i * size:(i + 1) * size] for i in range(n)]",
            "    out[f] = {'ts': str(d.file_meta.TransferSyntaxUID), 'frames': [hashlib.sha256(x).hexdigest() for x in frames]}",
            "print(json.dumps(out))");

    @TempDir
    Path dir;

    @Test
    void framesEqualWhatPydicomCutsFromTheSameFiles() throws Exception {
        DicomSamples.assumeAvailable();
        Path python = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(python), "no /usr/bin/python3 for the pydicom oracle");
        List<String> files = new ArrayList<>();
        for (String s : SAMPLES) {
            Path p = DicomSamples.dir().resolve("test_files").resolve(s);
            if (DicomSamples.storable().contains(p)) { // the archive's own rules (e.g. a Study UID) hold
                files.add(p.toString());
            }
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);
        List<String> cmd = new ArrayList<>(List.of(python.toString(), "-c", ORACLE));
        cmd.addAll(files);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("oracle.txt").toFile())
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String out = Files.readString(dir.resolve("oracle.txt"));
        assumeTrue(p.exitValue() == 0, "pydicom could not run: " + out.lines().reduce((a, b) -> b).orElse(""));
        ObjectMapper json = new ObjectMapper();
        JsonNode expected = json.readTree(out);
        try (DicomWebFixture web = new DicomWebFixture(dir.resolve("server"))) {
            for (String f : files) {
                HttpResponse<String> stored = web.stow("tina", "/studies", List.of(Files.readAllBytes(Path.of(f))));
                assertThat(stored.statusCode()).as(f + stored.body()).isEqualTo(200);
                String url = json.readTree(stored.body()).get("00081199").get("Value").get(0).get("00081190")
                        .get("Value").get(0).asText();
                String path = url.substring(web.url("").length());
                List<String> shas = new ArrayList<>();
                expected.get(f).get("frames").forEach(n -> shas.add(n.asText()));
                String ts = expected.get(f).get("ts").asText();
                // Every frame, last first, in one request.
                List<Integer> order = IntStream.rangeClosed(1, shas.size()).boxed().sorted((a, b) -> b - a).toList();
                HttpResponse<byte[]> r = web.getBytes("victor", path + "/frames/"
                        + order.stream().map(String::valueOf).collect(Collectors.joining(",")), null);
                assertThat(r.statusCode()).as(f + ": " + new String(r.body())).isEqualTo(200);
                assertThat(MediaType.parse(r.headers().firstValue("Content-Type").orElseThrow()).parameter("type"))
                        .as(f).isEqualTo(FrameMediaTypes.of(ts));
                List<byte[]> parts = DicomWebFixture.parts(r);
                assertThat(parts).as(f).hasSize(shas.size());
                for (int i = 0; i < order.size(); i++) {
                    assertThat(sha(parts.get(i))).as(f + " frame " + order.get(i)).isEqualTo(shas.get(order.get(i) - 1));
                }
                // Some samples share a SOP Instance UID: remove this one before the next is stored.
                assertThat(web.http.send(web.request("ada", path).DELETE().build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
            }
        }
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
