package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from a PKCS#12 keystore, anonymous viewer access, CORS for configured origins only, HEAD. */
class TlsAndAccessTest {

    @TempDir
    Path dir;

    @Test
    void servesHttpsFromAPkcs12Keystore() throws Exception {
        Path keystore = dir.resolve("keystore.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "san=ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(),
                "-storepass", "test-pass", "-keypass", "test-pass").redirectErrorStream(true)
                .redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(Files.readString(dir.resolve("keytool.log"))).isZero();
        DicomWebConfig config = DicomWebConfig.defaults().withPort(0)
                .withTls(new DicomWebConfig.Tls(keystore, "test-pass"));
        try (DicomWebFixture web = new DicomWebFixture(dir.resolve("server"), config)) {
            assertThat(web.server.baseUrl()).startsWith("https://127.0.0.1:");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                trust.load(in, "test-pass".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
            HttpResponse<String> r = https.send(HttpRequest.newBuilder(URI.create(web.url("/studies")))
                    .header("Authorization", DicomWebFixture.basic("victor")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("[]");
            assertThat(config.tls().toString()).doesNotContain("test-pass");
        }
    }

    @Test
    void plainHttpOnANetworkAddressIsRefusedWithWhatToDo() {
        for (String bind : new String[] {"0.0.0.0", "192.0.2.10", "::"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> DicomWebConfig.defaults().withBind(bind))
                    .isInstanceOf(org.pacs.storage.StorageException.class)
                    .hasMessageContaining("dicomweb.tls").hasMessageContaining("127.0.0.1");
        }
        for (String bind : new String[] {"127.0.0.1", "localhost", "::1", "127.0.0.2"}) {
            org.assertj.core.api.Assertions.assertThat(DicomWebConfig.defaults().withBind(bind).bind()).isEqualTo(bind);
        }
    }

    @Test
    void anonymousViewerMayReadButNotStore() throws Exception {
        DicomWebConfig config = DicomWebConfig.defaults().withPort(0).withAnonymous(DicomWebConfig.Anonymous.VIEWER);
        try (DicomWebFixture web = new DicomWebFixture(dir, config)) {
            assertThat(web.get(null, "/studies", null).statusCode()).isEqualTo(200);
            HttpResponse<String> store = web.stow(null, "/studies", List.of(new byte[] {1, 2}));
            assertThat(store.statusCode()).isEqualTo(403);
            assertThat(store.body()).contains("anonymous");
            // Credentials, when sent, are still checked.
            assertThat(web.http.send(web.request(null, "/studies").header("Authorization", "Basic "
                    + java.util.Base64.getEncoder().encodeToString("victor:wrong".getBytes())).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
        }
    }

    @Test
    void corsHeadersOnlyForConfiguredOriginsAndPreflightNeedsNoCredentials() throws Exception {
        DicomWebConfig config = DicomWebConfig.defaults().withPort(0).withCorsOrigins(List.of("https://viewer.example"));
        try (DicomWebFixture web = new DicomWebFixture(dir, config)) {
            HttpResponse<String> allowed = web.http.send(web.request("victor", "/studies")
                    .header("Origin", "https://viewer.example").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(allowed.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://viewer.example");
            HttpResponse<String> other = web.http.send(web.request("victor", "/studies")
                    .header("Origin", "https://evil.example").build(), HttpResponse.BodyHandlers.ofString());
            assertThat(other.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
            HttpResponse<String> preflight = web.http.send(web.request(null, "/studies")
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", "https://viewer.example").header("Access-Control-Request-Method", "GET").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(preflight.statusCode()).isEqualTo(204);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValueSatisfying(
                    v -> assertThat(v).contains("Authorization"));
            HttpResponse<String> head = web.http.send(web.request("victor", "/studies")
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.body()).isEmpty();
        }
    }
}
