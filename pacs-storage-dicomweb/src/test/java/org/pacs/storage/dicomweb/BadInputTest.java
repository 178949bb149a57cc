package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.testkit.SyntheticInstances;

/**
 * Hostile and broken STOW bodies over a raw socket, where the test controls every byte: each gets a status
 * and a message (never a stack trace), nothing half-stored stays in the archive, and no connection hangs.
 */
class BadInputTest {

    @TempDir
    Path dir;
    DicomWebFixture web;

    @BeforeEach
    void start() {
        web = new DicomWebFixture(dir, DicomWebConfig.defaults().withPort(0).withIdleTimeout(Duration.ofSeconds(1)));
    }

    @AfterEach
    void stop() {
        web.close();
    }

    byte[] instance() {
        return SyntheticInstances.bytes(SyntheticInstances.header(), 32 * 1024, 1);
    }

    /** Sends head + body, half-closes when asked, and reads the whole answer until the server closes. */
    String exchange(String headers, byte[] body, boolean halfClose) throws IOException {
        try (Socket s = new Socket("127.0.0.1", web.server.port())) {
            s.setSoTimeout(30_000); // a guard against a hang, not a synchronisation: the server closes first
            OutputStream out = s.getOutputStream();
            out.write(headers.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            if (halfClose) {
                s.shutdownOutput();
            }
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    got.write(buf, 0, n);
                    if (!halfClose && complete(got.toString(StandardCharsets.ISO_8859_1))) {
                        break;
                    }
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server neither answered nor closed within 30 s; got: " + got, e);
            } catch (java.net.SocketException e) {
                // reset after the server gave up on the request: what was read so far is the answer
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static boolean complete(String r) {
        int end = r.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(r);
        return m.find() && r.length() - end - 4 >= Integer.parseInt(m.group(1));
    }

    String post(String contentType, long contentLength, byte[] body, boolean halfClose) throws IOException {
        String head = "POST /dicom-web/studies HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                + DicomWebFixture.basic("tina") + "\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                + contentLength + "\r\nConnection: close\r\n\r\n";
        return exchange(head, body, halfClose);
    }

    static final String MULTIPART = "multipart/related; type=\"application/dicom\"; boundary=b0undary";

    @Test
    void truncatedBodyIsRefusedAndNothingIsStored() throws IOException {
        byte[] whole = DicomWebFixture.multipart("b0undary", List.of(instance()));
        byte[] cut = Arrays.copyOf(whole, whole.length / 2);
        String r = post(MULTIPART, cut.length, cut, false);
        assertThat(r).startsWith("HTTP/1.1 400").contains("cut short").doesNotContain("Exception");
        assertThat(web.archive.list()).isEmpty();
        assertThat(storedFiles()).isEmpty();
    }

    @Test
    void wrongBoundaryIsA400() throws IOException {
        byte[] body = DicomWebFixture.multipart("other", List.of(instance()));
        String r = post(MULTIPART, body.length, body, false);
        assertThat(r).startsWith("HTTP/1.1 400").contains("no delimiter for boundary");
        assertThat(web.archive.list()).isEmpty();
    }

    @Test
    void bodyLongerThanContentLengthIsCutAtTheDeclaredLength() throws IOException {
        byte[] body = DicomWebFixture.multipart("b0undary", List.of(instance()));
        String r = post(MULTIPART, body.length - 100, body, false);
        assertThat(r).startsWith("HTTP/1.1 400").contains("cut short");
        assertThat(web.archive.list()).isEmpty();
    }

    @Test
    void fourGigabyteDeclaredLengthWithAShortBodyEndsCleanly() throws IOException {
        byte[] body = DicomWebFixture.multipart("b0undary", List.of(instance()));
        String r = post(MULTIPART, 4L * 1024 * 1024 * 1024, Arrays.copyOf(body, body.length - 30), true);
        assertThat(r).satisfiesAnyOf(s -> assertThat(s).startsWith("HTTP/1.1 400"), s -> assertThat(s).isEmpty());
        assertThat(r).doesNotContain("Exception");
        assertThat(web.archive.list()).isEmpty();
    }

    @Test
    void partDeclaringAFourGigabyteElementFailsAsNotUnderstood() throws IOException, InterruptedException {
        byte[] inst = instance();
        // The Pixel Data length field is the last 4 bytes before the 32 KiB of pixels.
        int lengthAt = inst.length - 32 * 1024 - 4;
        inst[lengthAt] = (byte) 0xFE;
        inst[lengthAt + 1] = (byte) 0xFF;
        inst[lengthAt + 2] = (byte) 0xFF;
        inst[lengthAt + 3] = (byte) 0xFF;
        var r = web.stow("tina", "/studies", List.of(inst));
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.body()).contains("\"00081197\":{\"vr\":\"US\",\"Value\":[49152]}");
        assertThat(web.archive.list()).isEmpty();
    }

    @Test
    void stalledClientIsDisconnectedByTheIdleTimeout() throws IOException, InterruptedException {
        byte[] body = DicomWebFixture.multipart("b0undary", List.of(instance()));
        // Declares the whole body, sends a third of it and then nothing: the 1 s idle timeout must end it.
        String r = post(MULTIPART, body.length, Arrays.copyOf(body, body.length / 3), false);
        assertThat(r).satisfiesAnyOf(s -> assertThat(s).startsWith("HTTP/1.1 400"), s -> assertThat(s).isEmpty());
        assertThat(web.archive.list()).isEmpty();
        // and the server still serves others
        assertThat(web.stow("tina", "/studies", List.of(instance())).statusCode()).isEqualTo(200);
    }

    @Test
    void nonDicomMediaTypeIs415() throws IOException, InterruptedException {
        String r = post("application/json", 2, "{}".getBytes(StandardCharsets.US_ASCII), false);
        assertThat(r).startsWith("HTTP/1.1 415").contains("multipart/related");
        String noBoundary = post("multipart/related; type=\"application/dicom\"", 2, "xx".getBytes(), false);
        assertThat(noBoundary).startsWith("HTTP/1.1 400").contains("boundary");
        assertThat(UidGenerator.newUid()).isNotEmpty();
    }

    private List<Path> storedFiles() throws IOException {
        try (Stream<Path> s = Files.walk(dir.resolve("archive"))) {
            return s.filter(p -> p.toString().endsWith(".dcm")).toList();
        }
    }
}
