package org.pacs.storage.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;
import org.pacs.storage.security.Role;
import org.pacs.storage.security.SqliteSecurityStorage;
import org.pacs.storage.security.User;

/**
 * A real server for tests: FileStorage in a directory, SQLite security store with one user per role, the
 * DICOMweb server on a free port of 127.0.0.1, and a settable clock.
 */
final class DicomWebFixture implements AutoCloseable {

    static final String PASSWORD = "correct horse battery";

    /** A clock tests move by hand (password cache TTL, login lockout). */
    static final class MutableClock extends Clock {
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }
    }

    final StorageBackend archive;
    final SqliteSecurityStorage security;
    final MutableClock clock = new MutableClock();
    final DicomWebServer server;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    DicomWebFixture(Path dir) {
        this(dir, DicomWebConfig.defaults().withPort(0));
    }

    DicomWebFixture(Path dir, DicomWebConfig config) {
        this(dir, config, new FileStorage(FileStorageConfig.of(dir.resolve("archive")))); // fsync on, as deployed
    }

    /** Over any archive; the fixture closes it. */
    DicomWebFixture(Path dir, DicomWebConfig config, StorageBackend archive) {
        this.archive = archive;
        security = new SqliteSecurityStorage(dir.resolve("security.db"), clock);
        security.createUser(User.of("u-viewer", "victor", Role.VIEWER).withPassword(PASSWORD.toCharArray()));
        security.createUser(User.of("u-tech", "tina", Role.TECHNOLOGIST).withPassword(PASSWORD.toCharArray()));
        security.createUser(User.of("u-admin", "ada", Role.ADMINISTRATOR).withPassword(PASSWORD.toCharArray()));
        server = new DicomWebServer(config, archive, security, null, null, clock).start();
    }

    String url(String path) {
        return server.baseUrl() + path;
    }

    static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    HttpRequest.Builder request(String user, String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(path))).timeout(Duration.ofSeconds(60));
        return user == null ? b : b.header("Authorization", basic(user));
    }

    HttpResponse<String> get(String user, String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(user, path).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String user, String path, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder b = request(user, path).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** POSTs the instances as multipart/related; type="application/dicom". */
    HttpResponse<String> stow(String user, String path, List<byte[]> instances) throws IOException,
            InterruptedException {
        String boundary = "test-boundary-42";
        HttpRequest r = request(user, path)
                .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                .header("Accept", "application/dicom+json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipart(boundary, instances)))
                .build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }

    static byte[] multipart(String boundary, List<byte[]> parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(p);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** A streamed multipart body of one part, for instances that must never sit in memory. */
    static InputStream multipartStream(String boundary, InputStream part) {
        List<InputStream> pieces = new ArrayList<>();
        pieces.add(new ByteArrayInputStream(("--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII)));
        pieces.add(part);
        pieces.add(new ByteArrayInputStream(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII)));
        return new SequenceInputStream(Collections.enumeration(pieces));
    }

    /** The parts of a multipart response body, split at its boundary. */
    static List<byte[]> parts(HttpResponse<byte[]> r) throws IOException {
        MediaType mt = MediaType.parse(r.headers().firstValue("Content-Type").orElseThrow());
        MultipartReader reader = new MultipartReader(new ByteArrayInputStream(r.body()), mt.parameter("boundary"));
        List<byte[]> out = new ArrayList<>();
        for (MultipartReader.Part p = reader.nextPart(); p != null; p = reader.nextPart()) {
            out.add(p.body().readAllBytes());
        }
        return out;
    }

    @Override
    public void close() {
        server.close();
        archive.close();
        security.close();
    }
}
