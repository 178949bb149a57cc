package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.StorageException;

/**
 * /viewer's serving rules on a small directory laid out like OHIF's build (the real build runs in
 * {@link ViewerBrowserTest}): authentication, the generated app-config.js, root URLs moved under /viewer, the
 * single-page-app fallback, content types, refusals.
 */
class ViewerHandlerTest {

    @TempDir
    Path dir;
    Path dist;

    static final String INDEX = "<!doctype html><html><head><script>window.PUBLIC_URL=\"/\"</script>"
            + "<script src=\"/app-config.js\"></script><script type=\"module\" src=\"/init-service-worker.js\">"
            + "</script><script defer src=\"/app.bundle.abc.js\"></script><link href=\"/app.bundle.css\""
            + " rel=\"stylesheet\"></head><body><div id=\"root\"></div></body></html>";
    static final String BUNDLE = "(() => {\n__webpack_require__.p = \"/\";\n})();\nconsole.log('ok');\n";

    @BeforeEach
    void build() throws Exception {
        dist = Files.createDirectories(dir.resolve("ohif"));
        Files.writeString(dist.resolve("index.html"), INDEX);
        Files.writeString(dist.resolve("app.bundle.abc.js"), BUNDLE);
        Files.writeString(dist.resolve("app.bundle.css"), "@font-face{src:url(/f.woff2)}a{b:url(/x.png)}");
        Files.writeString(dist.resolve("chunk.js"), "console.log('no public path here');");
        Files.writeString(dist.resolve("manifest.json"), "{\"icons\": [{\"src\": \"/assets/i.png\"}]}");
        Files.write(dist.resolve("codec.wasm"), new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        Files.createDirectories(dist.resolve("assets"));
        Files.write(dist.resolve("assets/icon.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    }

    private DicomWebFixture server(DicomWebConfig.Anonymous anonymous) {
        return new DicomWebFixture(dir.resolve("server"), DicomWebConfig.defaults().withPort(0)
                .withAnonymous(anonymous).withViewer(dist));
    }

    private static HttpResponse<String> get(DicomWebFixture web, String user, String path, String accept)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + web.server.port() + path));
        if (user != null) {
            b.header("Authorization", DicomWebFixture.basic(user));
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        return web.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutCredentialsTheViewerAndItsQueriesAre401() throws Exception {
        try (DicomWebFixture web = server(DicomWebConfig.Anonymous.NONE)) {
            for (String path : new String[] {"/viewer/", "/viewer/viewer?StudyInstanceUIDs=1.2.3",
                    "/viewer/app-config.js", "/viewer/codec.wasm", "/dicom-web/studies"}) {
                HttpResponse<String> r = get(web, null, path, "text/html");
                assertThat(r.statusCode()).as(path).isEqualTo(401);
                assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).hasValue(Authenticator.REALM);
                assertThat(r.body()).as(path).contains("username and password").doesNotContain("Exception");
            }
            HttpResponse<String> wrong = web.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + web.server.port() + "/viewer/")).header("Authorization", "Basic "
                    + java.util.Base64.getEncoder().encodeToString("victor:wrong".getBytes(StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(wrong.statusCode()).isEqualTo(401);
            assertThat(wrong.body()).contains("Wrong username or password");
            // browsers fetch the web-app manifest without credentials; it is the one file open to all
            assertThat(get(web, null, "/viewer/manifest.json", null).body()).contains("\"/viewer/assets/i.png\"");
            assertThat(get(web, "victor", "/viewer/", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anonymousViewerOpensTheViewerWithoutCredentials() throws Exception {
        try (DicomWebFixture web = server(DicomWebConfig.Anonymous.VIEWER)) {
            assertThat(get(web, null, "/viewer/", null).statusCode()).isEqualTo(200);
            assertThat(get(web, null, "/dicom-web/studies", null).statusCode()).isIn(200, 204);
        }
    }

    @Test
    void indexBundlesAndCssLoadFromUnderViewer() throws Exception {
        try (DicomWebFixture web = server(DicomWebConfig.Anonymous.NONE)) {
            HttpResponse<String> index = get(web, "victor", "/viewer/", null);
            assertThat(index.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("text/html"));
            assertThat(index.body()).isEqualTo(INDEX.replace("=\"/", "=\"/viewer/"))
                    .contains("window.PUBLIC_URL=\"/viewer/\"", "src=\"/viewer/app.bundle.abc.js\"");
            assertThat(index.headers().firstValue("Content-Length")).hasValue(
                    Integer.toString(index.body().getBytes(StandardCharsets.UTF_8).length));

            HttpResponse<String> bundle = get(web, "victor", "/viewer/app.bundle.abc.js", "*/*");
            assertThat(bundle.body()).isEqualTo(BUNDLE.replace("p = \"/\"", "p = \"/viewer/\""));
            assertThat(bundle.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
            String etag = bundle.headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> again = web.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + web.server.port() + "/viewer/app.bundle.abc.js")).header("Authorization",
                    DicomWebFixture.basic("victor")).header("If-None-Match", etag).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(again.statusCode()).isEqualTo(304);

            assertThat(get(web, "victor", "/viewer/app.bundle.css", null).body())
                    .isEqualTo("@font-face{src:url(/viewer/f.woff2)}a{b:url(/viewer/x.png)}");
            // files without a root URL, and binaries, come from Jetty's ResourceHandler unchanged
            assertThat(get(web, "victor", "/viewer/chunk.js", null).body())
                    .isEqualTo("console.log('no public path here');");
            HttpResponse<byte[]> wasm = web.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + web.server.port() + "/viewer/codec.wasm")).header("Authorization",
                    DicomWebFixture.basic("victor")).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(wasm.statusCode()).isEqualTo(200);
            assertThat(wasm.headers().firstValue("Content-Type")).hasValue("application/wasm");
            assertThat(wasm.body()).isEqualTo(Files.readAllBytes(dist.resolve("codec.wasm")));
            assertThat(get(web, "victor", "/viewer/assets/icon.png", null).headers().firstValue("Content-Type"))
                    .hasValue("image/png");
        }
    }

    @Test
    void appConfigPointsOhifAtOurDicomWeb() throws Exception {
        try (DicomWebFixture web = server(DicomWebConfig.Anonymous.NONE)) {
            HttpResponse<String> r = get(web, "victor", "/viewer/app-config.js", null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/javascript");
            assertThat(r.body()).contains("routerBasename: '/viewer'",
                    "qidoRoot: window.location.origin + '/dicom-web'",
                    "wadoRoot: window.location.origin + '/dicom-web'",
                    "imageRendering: 'wadors'", "thumbnailRendering: 'wadors'", "supportsFuzzyMatching: true",
                    "enableStudyLazyLoad: true")
                    .doesNotContain("cloudfront");
            // OHIF's service worker (Workbox from a CDN) is replaced by a no-op
            assertThat(get(web, "victor", "/viewer/init-service-worker.js", null).body())
                    .doesNotContain("import").contains("not installed");
        }
    }

    @Test
    void pagesFallBackToIndexButMissingFilesAre404() throws Exception {
        try (DicomWebFixture web = server(DicomWebConfig.Anonymous.NONE)) {
            HttpResponse<String> page = get(web, "victor", "/viewer/viewer?StudyInstanceUIDs=1.2.840.1",
                    "text/html,application/xhtml+xml,*/*;q=0.8");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("window.PUBLIC_URL=\"/viewer/\"");
            HttpResponse<String> script = get(web, "victor", "/viewer/missing.bundle.js", "*/*");
            assertThat(script.statusCode()).isEqualTo(404);
            assertThat(script.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(script.body()).contains("no file /viewer/missing.bundle.js");
            assertThat(get(web, "victor", "/viewer/assets", "*/*").statusCode()).as("no listings").isEqualTo(404);
            // /viewer itself is the study list's address: Jetty sends the browser to /viewer/
            HttpResponse<String> bare = get(web, "victor", "/viewer", "text/html");
            assertThat(bare.statusCode()).isIn(301, 302, 307, 308);
            assertThat(bare.headers().firstValue("Location").orElseThrow()).endsWith("/viewer/");
        }
    }

    @Test
    void nothingOutsideTheViewerDirectoryAndNoWrites() throws Exception {
        Files.writeString(dir.resolve("secret.txt"), "not for the browser");
        try (DicomWebFixture web = server(DicomWebConfig.Anonymous.NONE)) {
            for (String path : new String[] {"/viewer/../secret.txt", "/viewer/%2e%2e/secret.txt",
                    "/viewer/..%2Fsecret.txt", "/viewer/assets/..%2F..%2Fsecret.txt"}) {
                HttpResponse<String> r = get(web, "victor", path, "*/*");
                assertThat(r.statusCode()).as(path).isIn(400, 404);
                assertThat(r.body()).as(path).doesNotContain("not for the browser");
            }
            HttpResponse<String> post = web.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + web.server.port() + "/viewer/index.html")).header("Authorization",
                    DicomWebFixture.basic("victor")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
            assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
    }

    @Test
    void notInstalledSaysHowToInstall() throws Exception {
        try (DicomWebFixture web = new DicomWebFixture(dir.resolve("server"), DicomWebConfig.defaults().withPort(0))) {
            HttpResponse<String> r = get(web, "victor", "/viewer/", "text/html");
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(r.body()).contains("not installed", "npm ci", "dicomweb.viewer");
            // DICOMweb itself is unaffected
            assertThat(get(web, "victor", "/dicom-web/studies", null).statusCode()).isIn(200, 204);
        }
        try (DicomWebFixture web = new DicomWebFixture(dir.resolve("server2"), DicomWebConfig.defaults().withPort(0)
                .withViewer(dir.resolve("nowhere")))) {
            assertThat(get(web, "victor", "/viewer/", "text/html").body()).contains("not installed", "npm ci");
        }
    }

    @Test
    void basePathCannotBeTheViewersPath() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> DicomWebConfig.defaults().withBasePath("/viewer"))
                .isInstanceOf(StorageException.class).hasMessageContaining("OHIF viewer");
    }

    @Test
    void literalsAreFoundAcrossReadBlocks() throws Exception {
        byte[] pattern = "__webpack_require__.p = \"/\";".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] filler = new byte[(1 << 16) - 10];
        Arrays.fill(filler, (byte) 'x');
        b.writeBytes(filler);
        b.writeBytes(pattern); // straddles the first 64 KiB block
        b.writeBytes(pattern); // right after another
        b.writeBytes(filler);
        b.writeBytes(pattern); // at the very end
        Path file = dir.resolve("big.js");
        Files.write(file, b.toByteArray());
        long[] at = PublicPathRewrite.find(file, pattern);
        assertThat(at).containsExactly(filler.length, filler.length + pattern.length,
                2L * filler.length + 2L * pattern.length);

        PublicPathRewrite rewrite = new PublicPathRewrite("/viewer/");
        PublicPathRewrite.Rule rule = rewrite.ruleFor("big.js");
        PublicPathRewrite.Scan scan = rewrite.scan(file, rule);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PublicPathRewrite.write(file, rule, scan, out);
        String expected = new String(b.toByteArray(), StandardCharsets.US_ASCII)
                .replace("p = \"/\";", "p = \"/viewer/\";");
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(expected);
        assertThat((long) out.size()).isEqualTo(scan.rewrittenLength(rule));
    }
}
