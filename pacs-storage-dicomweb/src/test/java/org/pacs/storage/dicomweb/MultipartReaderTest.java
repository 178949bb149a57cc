package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultipartReaderTest {

    /** Hands out one byte per read, so every delimiter straddles reads. */
    static InputStream trickle(byte[] b) {
        return new FilterInputStream(new ByteArrayInputStream(b)) {
            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                return super.read(buf, off, Math.min(len, 1));
            }
        };
    }

    static List<String> read(InputStream in, String boundary) throws IOException {
        MultipartReader r = new MultipartReader(in, boundary);
        List<String> out = new ArrayList<>();
        for (MultipartReader.Part p = r.nextPart(); p != null; p = r.nextPart()) {
            out.add(p.header("content-type") + "|" + new String(p.body().readAllBytes(), StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    @Test
    void readsPartsWithPreambleEpiloguePaddingAndNearMissDelimiters() throws IOException {
        String body = "preamble\r\n--xyz  \r\nContent-Type: a/b\r\n\r\nhello\r\n--xy not it\r\n--xyz\r\n"
                + "Content-Type: c/d\r\n\r\n\r\n--xyz--\r\nepilogue";
        byte[] b = body.getBytes(StandardCharsets.ISO_8859_1);
        List<String> expected = List.of("a/b|hello\r\n--xy not it", "c/d|");
        assertThat(read(new ByteArrayInputStream(b), "xyz")).isEqualTo(expected);
        assertThat(read(trickle(b), "xyz")).isEqualTo(expected);
    }

    @Test
    void largeRandomPartsComeBackExactly() throws IOException {
        Random rnd = new Random(3);
        byte[] a = new byte[300_000];
        byte[] c = new byte[70_000];
        rnd.nextBytes(a);
        rnd.nextBytes(c);
        byte[] body = DicomWebFixture.multipart("bnd", List.of(a, c));
        MultipartReader r = new MultipartReader(new ByteArrayInputStream(body), "bnd");
        assertThat(r.nextPart().body().readAllBytes()).isEqualTo(a);
        assertThat(r.nextPart().body().readAllBytes()).isEqualTo(c);
        assertThat(r.nextPart()).isNull();
    }

    @Test
    void aBodyWithoutItsClosingDelimiterNeverEndsCleanly() throws IOException {
        byte[] body = "--b\r\n\r\nsome bytes and then the connection drops".getBytes(StandardCharsets.US_ASCII);
        MultipartReader r = new MultipartReader(new ByteArrayInputStream(body), "b");
        InputStream part = r.nextPart().body();
        assertThatThrownBy(part::readAllBytes).isInstanceOf(MultipartReader.MultipartException.class)
                .hasMessageContaining("cut short");
        assertThat(r.failure()).isNotNull();
        assertThatThrownBy(() -> new MultipartReader(new ByteArrayInputStream(body), "other").nextPart())
                .hasMessageContaining("no delimiter for boundary \"other\"");
    }
}
