package org.pacs.storage.dicomweb;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.testkit.SyntheticInstances;

/**
 * Run in a forked JVM with a small heap: starts the server, STOWs one synthetic instance of the given size as a
 * streamed (chunked) multipart body from the same JVM, and checks the stored SHA-256 against what was sent.
 * Prints "OK ..." and exits 0, or prints the failure and exits 1. Arguments: {@code pixelBytes directory}.
 */
public final class LargeStowMain {

    private LargeStowMain() {
    }

    public static void main(String[] args) {
        try {
            long pixelBytes = Long.parseLong(args[0]);
            Path dir = Files.createDirectories(Path.of(args[1]));
            try (DicomWebFixture web = new DicomWebFixture(dir)) {
                DicomDataset header = SyntheticInstances.header();
                MessageDigest sent = MessageDigest.getInstance("SHA-256");
                InputStream instance = new DigestInputStream(SyntheticInstances.stream(header, pixelBytes, 7), sent);
                String boundary = "large-boundary";
                HttpRequest r = HttpRequest.newBuilder(URI.create(web.url("/studies")))
                        .timeout(Duration.ofMinutes(5))
                        .header("Authorization", DicomWebFixture.basic("tina"))
                        .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=" + boundary)
                        .POST(HttpRequest.BodyPublishers.ofInputStream(
                                () -> DicomWebFixture.multipartStream(boundary, instance)))
                        .build();
                HttpResponse<String> resp = web.http.send(r, HttpResponse.BodyHandlers.ofString());
                if (resp.statusCode() != 200) {
                    throw new AssertionError("status " + resp.statusCode() + ": " + resp.body());
                }
                String sha = HexFormat.of().formatHex(sent.digest());
                SopInstanceUid uid = SopInstanceUid.of(header.getUid(Tag.SOPInstanceUID).orElseThrow());
                StoredInstance stored = web.archive.describe(uid).orElseThrow();
                if (!stored.sha256().equals(sha)) {
                    throw new AssertionError("stored SHA-256 " + stored.sha256() + " != sent " + sha);
                }
                System.out.println("OK bytes=" + stored.sizeBytes() + " sha256=" + sha + " maxHeap="
                        + Runtime.getRuntime().maxMemory());
            }
            System.exit(0);
        } catch (Throwable t) {
            t.printStackTrace(System.out);
            System.exit(1);
        }
    }
}
