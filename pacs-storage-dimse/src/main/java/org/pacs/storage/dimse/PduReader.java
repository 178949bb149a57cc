package org.pacs.storage.dimse;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads whole PDUs (PS3.8 §9.3) from a connection. Every length is checked before anything is allocated or
 * awaited: a P-DATA PDU longer than the maximum we announced, an A-ASSOCIATE larger than {@link #MAX_ASSOCIATE}
 * or a fixed-size PDU of another size is a protocol error, so a hostile length can neither exhaust the heap nor
 * make us wait for bytes that a conforming peer would not send.
 *
 * <p>The reader is its own buffer: each read from the connection takes whatever has arrived, up to the buffer's
 * room, straight into the array the PDU body is then read from; there is no BufferedInputStream copy in between,
 * and PDUs that arrive back to back cost one system call. A body stays valid until the next {@link #next()}.
 */
final class PduReader {

    static final int ASSOCIATE_RQ = 1;
    static final int ASSOCIATE_AC = 2;
    static final int ASSOCIATE_RJ = 3;
    static final int P_DATA = 4;
    static final int RELEASE_RQ = 5;
    static final int RELEASE_RP = 6;
    static final int ABORT = 7;

    /** 128 contexts of 20 syntaxes of 64 characters fit with room to spare; nothing legitimate is larger. */
    static final int MAX_ASSOCIATE = 512 * 1024;
    private static final int HEADER = 6;
    private static final int INITIAL = 64 * 1024;

    private final InputStream in;
    private byte[] buf = new byte[INITIAL];
    /** Start of the current PDU's body in {@link #buf}, and of what is buffered beyond it. */
    private int bodyAt;
    private int next;
    private int filled;
    private int maxPData;
    private int type;
    private int length;

    PduReader(InputStream in, int maxPData) {
        this.in = in;
        this.maxPData = maxPData;
    }

    /** The largest P-DATA-TF we accept: what we announced in the A-ASSOCIATE-AC (or RQ, as requestor). */
    void maxPData(int value) {
        this.maxPData = value;
    }

    /**
     * Reads the next PDU; its body ({@link #body()} from {@link #offset()}, {@link #length()} bytes) stays valid
     * until the next call. EOFException when the peer closes, also within a PDU (nothing can be answered on a
     * closed connection).
     */
    int next() throws IOException, ProtocolException {
        require(HEADER, true);
        type = buf[next] & 0xFF;
        long len = ((buf[next + 2] & 0xFFL) << 24) | ((buf[next + 3] & 0xFF) << 16) | ((buf[next + 4] & 0xFF) << 8)
                | (buf[next + 5] & 0xFF);
        long limit = switch (type) {
            case ASSOCIATE_RQ, ASSOCIATE_AC -> MAX_ASSOCIATE;
            case P_DATA -> maxPData;
            case ASSOCIATE_RJ, RELEASE_RQ, RELEASE_RP, ABORT -> 4;
            default -> throw new ProtocolException(ProtocolException.UNRECOGNIZED_PDU, "unknown PDU type 0x"
                    + Integer.toHexString(type));
        };
        boolean fixed = type == ASSOCIATE_RJ || type == RELEASE_RQ || type == RELEASE_RP || type == ABORT;
        if (len > limit || fixed && len != 4 || len < 4) {
            throw new ProtocolException(ProtocolException.INVALID_PARAMETER,
                    "PDU type " + type + " with length " + len + " (at most " + limit + " allowed)");
        }
        length = (int) len;
        require(HEADER + length, false);
        bodyAt = next + HEADER;
        next = bodyAt + length;
        return type;
    }

    /**
     * The type of a PDU that has arrived but was not read yet (a C-CANCEL between our responses, an A-ABORT),
     * without blocking; -1 when nothing has arrived.
     */
    int waiting() throws IOException {
        if (filled > next) {
            return buf[next] & 0xFF;
        }
        if (in.available() <= 0) {
            return -1;
        }
        compact(1);
        int r = in.read(buf, filled, buf.length - filled);
        if (r <= 0) {
            return -1; // closed: the next read reports it
        }
        filled += r;
        return buf[next] & 0xFF;
    }

    int type() {
        return type;
    }

    /** The array holding the current body, which starts at {@link #offset()}. */
    byte[] body() {
        return buf;
    }

    int offset() {
        return bodyAt;
    }

    int length() {
        return length;
    }

    /** A copy of the body, for PDUs parsed into values (A-ASSOCIATE). */
    byte[] bodyCopy() {
        return java.util.Arrays.copyOfRange(buf, bodyAt, bodyAt + length);
    }

    /** Makes {@code n} bytes from {@link #next} available, reading whatever the connection has. */
    private void require(int n, boolean atHeader) throws IOException {
        if (filled - next >= n) {
            return;
        }
        compact(n);
        while (filled - next < n) {
            int r = in.read(buf, filled, buf.length - filled);
            if (r < 0) {
                throw new EOFException(atHeader && filled == next ? "closed" : "connection closed within a PDU");
            }
            filled += r;
        }
    }

    /** Moves the unread bytes to the front, and grows the buffer (within the checked PDU limits) to hold n. */
    private void compact(int n) {
        int unread = filled - next;
        if (buf.length - next >= n && next < buf.length / 2 && buf.length - filled > 0) {
            return;
        }
        byte[] target = buf.length >= n ? buf : new byte[Math.max(n, Math.min(2 * buf.length, n + INITIAL))];
        System.arraycopy(buf, next, target, 0, unread);
        buf = target;
        filled = unread;
        bodyAt = 0;
        next = 0;
    }

    /** Bounds-checked reading of a PDU body: every item length is checked against what encloses it. */
    static final class Cursor {
        private final byte[] b;
        private int pos;
        private final int end;

        Cursor(byte[] b, int pos, int end) {
            this.b = b;
            this.pos = pos;
            this.end = end;
        }

        int remaining() {
            return end - pos;
        }

        private void need(int n) throws ProtocolException {
            if (n < 0 || n > end - pos) {
                throw new ProtocolException(ProtocolException.INVALID_PARAMETER,
                        "item of " + n + " bytes where " + (end - pos) + " remain");
            }
        }

        int u8() throws ProtocolException {
            need(1);
            return b[pos++] & 0xFF;
        }

        int u16() throws ProtocolException {
            need(2);
            int v = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
            pos += 2;
            return v;
        }

        long u32() throws ProtocolException {
            need(4);
            long v = ((b[pos] & 0xFFL) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8)
                    | (b[pos + 3] & 0xFF);
            pos += 4;
            return v;
        }

        void skip(int n) throws ProtocolException {
            need(n);
            pos += n;
        }

        String ascii(int n) throws ProtocolException {
            need(n);
            String s = new String(b, pos, n, StandardCharsets.US_ASCII);
            pos += n;
            return s;
        }

        Cursor sub(long n) throws ProtocolException {
            if (n > Integer.MAX_VALUE) {
                throw new ProtocolException(ProtocolException.INVALID_PARAMETER, "item length " + n);
            }
            need((int) n);
            Cursor c = new Cursor(b, pos, pos + (int) n);
            pos += (int) n;
            return c;
        }

        int position() {
            return pos;
        }

        /** What remains, as a copy. */
        byte[] bytes() {
            byte[] out = java.util.Arrays.copyOfRange(b, pos, end);
            pos = end;
            return out;
        }
    }
}
