package org.pacs.storage.dicomweb;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A streaming reader of a multipart body (RFC 2046 §5.1): one part at a time, each body an InputStream that
 * ends at the next delimiter, so a multi-gigabyte part passes through a fixed buffer. A body whose delimiter
 * never comes (truncated, wrong boundary) makes the part stream throw {@link MultipartException} instead of
 * ending cleanly: a reader that stops at end-of-stream can never mistake a cut-off part for a whole one.
 */
final class MultipartReader {

    /** Why the body cannot be read as multipart; an IOException so it travels through stream readers. */
    static final class MultipartException extends IOException {
        MultipartException(String message) {
            super(message);
        }

        MultipartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One part: its headers (names lower-cased) and its body, readable once. */
    record Part(Map<String, String> headers, InputStream body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** RFC 2046 says 70; tolerated longer, as real clients send them, but bounded. */
    static final int MAX_BOUNDARY = 256;
    private static final int BUFFER = 64 * 1024;
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final InputStream in;
    private final String boundary;
    private final byte[] delimiter;
    private final byte[] buf;
    private int pos;
    private int limit;
    private boolean eof;
    private boolean finished;
    private boolean started;
    private PartStream current;
    private MultipartException failure;

    MultipartReader(InputStream in, String boundary) {
        if (boundary == null || boundary.isEmpty() || boundary.length() > MAX_BOUNDARY) {
            throw new IllegalArgumentException("boundary must be 1 to " + MAX_BOUNDARY + " characters");
        }
        this.in = in;
        this.boundary = boundary;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buf = new byte[BUFFER + delimiter.length + MAX_HEADER_BYTES];
        // A virtual CRLF in front, so a body that opens with the first delimiter (no preamble) matches it too.
        buf[0] = '\r';
        buf[1] = '\n';
        limit = 2;
    }

    /** The failure that broke the body, if any: set once a part or the framing turned out unreadable. */
    MultipartException failure() {
        return failure;
    }

    /** The next part, or null after the close delimiter. The previous part's unread rest is skipped. */
    Part nextPart() throws MultipartException {
        if (failure != null) {
            throw failure;
        }
        if (!started) {
            started = true;
            skipPreamble();
        } else if (current != null) {
            current.skipRest();
        }
        current = null;
        if (finished) {
            return null;
        }
        Map<String, String> headers = readHeaders();
        current = new PartStream();
        return new Part(headers, current);
    }

    private void skipPreamble() throws MultipartException {
        while (true) {
            fill(delimiter.length);
            int at = indexOfDelimiter();
            if (at >= 0) {
                pos = at + delimiter.length;
                afterDelimiter();
                return;
            }
            if (eof) {
                throw fail("the body holds no delimiter for boundary \"" + boundary + "\"; the boundary parameter of"
                        + " Content-Type must be the one that separates the parts");
            }
            pos = Math.max(pos, limit - delimiter.length + 1);
        }
    }

    /** After a delimiter: "--" closes the body, otherwise optional padding and CRLF start a part's headers. */
    private void afterDelimiter() throws MultipartException {
        fill(2);
        if (limit - pos >= 2 && buf[pos] == '-' && buf[pos + 1] == '-') {
            finished = true;
            pos += 2;
            return;
        }
        while (true) {
            fill(2);
            if (limit - pos < 2) {
                throw fail("the body ends right after a delimiter; the request was cut short");
            }
            if (buf[pos] == ' ' || buf[pos] == '\t') {
                pos++;
            } else if (buf[pos] == '\r' && buf[pos + 1] == '\n') {
                pos += 2;
                return;
            } else {
                throw fail("a delimiter for boundary \"" + boundary + "\" is followed by text instead of a line end;"
                        + " the boundary may be a prefix of a different one");
            }
        }
    }

    private Map<String, String> readHeaders() throws MultipartException {
        Map<String, String> headers = new LinkedHashMap<>();
        int used = 0;
        while (true) {
            String line = readLine();
            used += line.length() + 2;
            if (used > MAX_HEADER_BYTES) {
                throw fail("a part's headers exceed " + MAX_HEADER_BYTES + " bytes");
            }
            if (line.isEmpty()) {
                return headers;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw fail("a part header line has no name: \"" + printable(line) + "\"");
            }
            headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
    }

    private String readLine() throws MultipartException {
        int checked = 0; // bytes after pos known not to start a CRLF
        while (true) {
            for (int i = pos + checked; i + 1 < limit; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n') {
                    String line = new String(buf, pos, i - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 2;
                    return line;
                }
            }
            int have = limit - pos;
            checked = Math.max(0, have - 1);
            if (have >= MAX_HEADER_BYTES) {
                throw fail("a part header line is longer than " + MAX_HEADER_BYTES + " bytes");
            }
            fill(have + 1);
            if (limit - pos == have) {
                throw fail("the body ends inside a part's headers; the request was cut short");
            }
        }
    }

    /** Index of the delimiter in buf[pos, limit), or -1. */
    private int indexOfDelimiter() {
        int last = limit - delimiter.length;
        byte first = delimiter[0];
        outer:
        for (int i = pos; i <= last; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int j = 1; j < delimiter.length; j++) {
                if (buf[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Reads until at least {@code n} bytes are buffered past pos, or the end of input. */
    private void fill(int n) throws MultipartException {
        if (limit - pos >= n || eof) {
            return;
        }
        if (pos > 0 && buf.length - pos < n + BUFFER / 2) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            pos = 0;
        }
        try {
            while (limit - pos < n && limit < buf.length) {
                int r = in.read(buf, limit, buf.length - limit);
                if (r < 0) {
                    eof = true;
                    return;
                }
                limit += r;
            }
        } catch (MultipartException e) {
            throw e;
        } catch (IOException e) {
            throw fail("the request body could not be read (" + e.getMessage() + "); the client stopped sending or"
                    + " was too slow", e);
        }
    }

    private MultipartException fail(String message) {
        return fail(message, null);
    }

    private MultipartException fail(String message, Throwable cause) {
        if (failure == null) {
            failure = cause == null ? new MultipartException(message) : new MultipartException(message, cause);
        }
        return failure;
    }

    private static String printable(String s) {
        String t = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }

    /** A part's body: bytes up to the next delimiter; end-of-input before it is an error, never a clean end. */
    private final class PartStream extends InputStream {
        private boolean done;
        /** Bytes from pos on already known to hold no delimiter start, so small reads do not rescan. */
        private int safeAhead;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (failure != null) {
                throw failure;
            }
            if (len == 0) {
                return 0;
            }
            if (safeAhead > 0) {
                return copy(b, off, len);
            }
            fill(delimiter.length);
            int at = indexOfDelimiter();
            int safe;
            if (at == pos) {
                done = true;
                pos += delimiter.length;
                afterDelimiter();
                return -1;
            } else if (at > pos) {
                safe = at - pos;
            } else if (eof) {
                throw fail("the body ends inside a part, before its closing delimiter; the request was cut short"
                        + " (or declared a wrong boundary)");
            } else {
                safe = limit - pos - delimiter.length + 1;
            }
            safeAhead = safe;
            return copy(b, off, len);
        }

        private int copy(byte[] b, int off, int len) {
            int n = Math.min(len, safeAhead);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            safeAhead -= n;
            return n;
        }

        void skipRest() throws MultipartException {
            byte[] sink = new byte[8192];
            try {
                while (read(sink, 0, sink.length) >= 0) {
                    // discarding what the consumer did not read
                }
            } catch (MultipartException e) {
                throw e;
            } catch (IOException e) {
                throw fail(e.getMessage(), e);
            }
        }
    }
}
