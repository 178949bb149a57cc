package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.security.AccessEvent;
import org.pacs.storage.security.AccessEventQuery;

/**
 * The OHIF viewer (npm @ohif/app, pinned in viewer/package.json) served at /viewer by our server, opened in
 * Debian's headless Chromium through puppeteer-core: a real CT (pydicom's CT_small.dcm) stored by STOW-RS must
 * appear in the viewport. The screenshot of the viewport's canvas is kept in target/ohif-viewer-ct.png for a
 * person to look at. Skipped with a reason where chromium, node or the sample is missing.
 */
class ViewerBrowserTest {

    static final Path VIEWER_DIR = Path.of("viewer").toAbsolutePath();
    static final Path CT = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm");
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    static final Path SCREENSHOT = Path.of("target", "ohif-viewer-ct.png").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void theViewerShowsAStoredCtInHeadlessChromium() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed (apt-get install chromium)");
        assumeTrue(onPath("node") && onPath("npm"),
                "node and npm are not on the PATH; install Node.js 20+");
        assumeTrue(Files.isRegularFile(CT), "pydicom's CT_small.dcm is missing (apt-get install python3-pydicom)");
        install();
        byte[] ct = Files.readAllBytes(CT);
        String study = DicomReader.read(CT).dataset().getString(Tag.StudyInstanceUID).orElseThrow();
        try (DicomWebFixture web = new DicomWebFixture(dir,
                DicomWebConfig.defaults().withPort(0).withViewer(VIEWER_DIR.resolve("ohif")))) {
            assertThat(web.stow("tina", "/studies", List.of(ct)).statusCode()).isEqualTo(200);
            String viewerUrl = "http://127.0.0.1:" + web.server.port() + "/viewer/viewer?StudyInstanceUIDs=" + study;
            Files.createDirectories(SCREENSHOT.getParent());
            Files.deleteIfExists(SCREENSHOT);
            JsonNode r = browse(viewerUrl, "victor", DicomWebFixture.PASSWORD);
            System.out.println("browser: " + r);
            assertThat(r.path("ok").asBoolean()).as("the viewport drew an image: %s", r).isTrue();

            // the screenshot (what a person sees), judged here rather than by the page: the middle of the
            // viewport, where the CT lies and no overlay text is, holds many grey levels and no colour
            BufferedImage png = ImageIO.read(SCREENSHOT.toFile());
            assertThat(png).as("screenshot %s", SCREENSHOT).isNotNull();
            Set<Integer> levels = new HashSet<>();
            int coloured = 0;
            int total = 0;
            for (int y = png.getHeight() / 4; y < png.getHeight() * 3 / 4; y++) {
                for (int x = png.getWidth() / 4; x < png.getWidth() * 3 / 4; x++) {
                    int rgb = png.getRGB(x, y);
                    int red = rgb >> 16 & 0xff;
                    int green = rgb >> 8 & 0xff;
                    int blue = rgb & 0xff;
                    levels.add(red);
                    if (Math.abs(red - green) > 8 || Math.abs(red - blue) > 8) {
                        coloured++;
                    }
                    total++;
                }
            }
            assertThat(levels.size()).as("grey levels in the middle of the viewport (an empty one has 1)")
                    .isGreaterThan(64);
            assertThat(coloured).as("coloured pixels in the middle: a CT is grey").isLessThan(total / 100);

            // and it is this CT: OHIF fits the image into the middle of the viewport, a square as high as the
            // canvas; its grey levels follow the stored pixels (a window is monotonic), sampled where no
            // overlay text or hint is drawn
            DicomDataset h = DicomReader.read(CT).dataset();
            String frameUrl = "/studies/" + study + "/series/" + h.getString(Tag.SeriesInstanceUID).orElseThrow()
                    + "/instances/" + h.getString(Tag.SOPInstanceUID).orElseThrow() + "/frames/1";
            byte[] frame = DicomWebFixture.parts(web.getBytes("victor", frameUrl,
                    "multipart/related; type=\"application/octet-stream\"; transfer-syntax=*")).get(0);
            double r2 = correlation(png, frame, h.getInt(Tag.Rows).orElseThrow(), h.getInt(Tag.Columns).orElseThrow(),
                    h.getInt(Tag.PixelRepresentation).orElse(0) == 1);
            System.out.println("correlation of the screenshot with the stored pixels: " + r2);
            assertThat(r2).as("correlation of the viewport with CT_small's pixels").isGreaterThan(0.9);

            // the viewer read the study through our DICOMweb as the user who logged in, and it was audited
            assertThat(r.path("requests").toString()).contains("/dicom-web/studies");
            // every script, chunk, worker and WASM was found under /viewer, every DICOMweb call answered
            List<String> failed = new java.util.ArrayList<>();
            r.path("requests").forEach(q -> {
                if (q.path("status").asInt() >= 400) {
                    failed.add(q.path("status").asInt() + " " + q.path("url").asText());
                }
            });
            assertThat(failed).as("failed requests").isEmpty();
            List<AccessEvent> events = web.security.accessEvents(new AccessEventQuery("victor", study, null, 0));
            assertThat(events).extracting(AccessEvent::action).contains("METADATA");
            assertThat(events).extracting(AccessEvent::outcome).allMatch(o -> o.startsWith("200"));
        }
    }

    /**
     * Pearson correlation between the screenshot's grey and the stored 16-bit little-endian pixels over the
     * image's middle half (each stored pixel against the screenshot pixel at its centre).
     */
    static double correlation(BufferedImage png, byte[] frame, int rows, int columns, boolean signed) {
        double side = Math.min(png.getWidth(), png.getHeight() * (double) columns / rows);
        double x0 = (png.getWidth() - side) / 2;
        double height = side * rows / columns;
        double y0 = (png.getHeight() - height) / 2;
        double n = 0, sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        for (int r = rows / 4; r < rows * 3 / 4; r++) {
            for (int c = columns / 4; c < columns * 3 / 4; c++) {
                int i = 2 * (r * columns + c);
                int raw = (frame[i] & 0xff) | (frame[i + 1] & 0xff) << 8;
                double stored = signed ? (short) raw : raw;
                int x = (int) (x0 + (c + 0.5) * side / columns);
                int y = (int) (y0 + (r + 0.5) * height / rows);
                double grey = png.getRGB(x, y) >> 8 & 0xff;
                n++;
                sa += stored;
                sb += grey;
                saa += stored * stored;
                sbb += grey * grey;
                sab += stored * grey;
            }
        }
        double cov = sab / n - sa / n * sb / n;
        return cov / Math.sqrt((saa / n - sa / n * sa / n) * (sbb / n - sb / n * sb / n));
    }

    private JsonNode browse(String url, String user, String password) throws IOException, InterruptedException {
        Path log = dir.resolve("browser.log");
        ProcessBuilder pb = new ProcessBuilder("node", VIEWER_DIR.resolve("viewer-test.js").toString(), url, user,
                password, SCREENSHOT.toString(), "45000").redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("CHROMIUM", CHROMIUM.toString());
        Process p = pb.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("the browser did not finish in 90 s: " + Files.readString(log));
        }
        String out = Files.readString(log);
        String json = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no result from the browser script: " + out));
        return new ObjectMapper().readTree(json);
    }

    /** npm ci in viewer/ (puppeteer-core, and OHIF's build through postinstall) unless already installed. */
    static void install() throws IOException, InterruptedException {
        if (Files.isRegularFile(VIEWER_DIR.resolve("node_modules/.package-lock.json"))
                && Files.isDirectory(VIEWER_DIR.resolve("node_modules/puppeteer-core"))
                && Files.isRegularFile(VIEWER_DIR.resolve("ohif/index.html"))) {
            return;
        }
        ProcessBuilder pb = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(VIEWER_DIR.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PUPPETEER_SKIP_DOWNLOAD", "true");
        Process p = pb.start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("npm ci finished").isTrue();
        assertThat(p.exitValue()).as("npm ci in " + VIEWER_DIR).isZero();
    }

    static boolean onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }
}
