package org.pacs.storage.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Writes a multipart/related body part by part, streaming each part's bytes from an InputStream. The boundary
 * is random, so no part's content can contain it by accident (or by design of whoever stored the data).
 */
final class MultipartWriter {

    private final OutputStream out;
    private final String boundary = "pacs-" + UUID.randomUUID();
    private int parts;

    MultipartWriter(OutputStream out) {
        this.out = out;
    }

    String boundary() {
        return boundary;
    }

    /** The response Content-Type for parts of {@code partType}. */
    String contentType(String partType) {
        return MediaType.MULTIPART_RELATED + "; type=\"" + partType + "\"; boundary=" + boundary;
    }

    int parts() {
        return parts;
    }

    void part(String contentType, String location, long length, InputStream body) throws IOException {
        StringBuilder head = new StringBuilder("\r\n--").append(boundary).append("\r\nContent-Type: ")
                .append(contentType).append("\r\n");
        if (location != null) {
            head.append("Content-Location: ").append(location).append("\r\n");
        }
        if (length >= 0) {
            head.append("Content-Length: ").append(length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        body.transferTo(out);
        parts++;
    }

    void finish() throws IOException {
        out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }
}
