package org.pacs.storage.dicom;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.zip.ZipException;

/**
 * A bounded byte source with a stream offset and a byte order. Values are read into arrays of their own size in
 * chunks, so a length field that lies (4 GB in a 1 KB file) ends in a parse error at end of data, never in a
 * 4 GB allocation. In exact mode it never reads past the bytes asked for, so a caller's stream stays where the
 * parser stopped.
 */
final class DicomInput {

    private static final int CHUNK = 64 * 1024;

    private final InputStream in;
    private final boolean exact;
    private final long size;
    private final long base;
    private byte[] buf;
    private int pos;
    private int lim;
    private long bufStart;
    private boolean bigEndian;
    private boolean inflated;

    /**
     * @param size total bytes the source holds, or -1 when unknown
     * @param base offset reported for the first byte (non-zero for inflated data after the meta group)
     */
    DicomInput(InputStream in, boolean exact, long size, long base, int bufferSize) {
        this.in = in;
        this.exact = exact;
        this.size = size;
        this.base = base;
        this.buf = new byte[bufferSize];
    }

    void bigEndian(boolean be) {
        this.bigEndian = be;
    }

    boolean bigEndian() {
        return bigEndian;
    }

    /** Marks the source as decompressed data: zlib errors become parse errors. */
    void inflated(boolean inflated) {
        this.inflated = inflated;
    }

    /** Offset of the next byte in the source (plus {@code base}). */
    long position() {
        return base + bufStart + pos;
    }

    /** Bytes left when the size is known, else Long.MAX_VALUE. */
    long remaining() {
        return size < 0 ? Long.MAX_VALUE : size - (bufStart + pos);
    }

    boolean sizeKnown() {
        return size >= 0;
    }

    /** Makes up to n bytes available at the read position; returns how many are (fewer only at end of data). */
    int fill(int n) {
        if (lim - pos >= n) {
            return n;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            bufStart += pos;
            lim -= pos;
            pos = 0;
        }
        if (buf.length < n) {
            buf = Arrays.copyOf(buf, n);
        }
        while (lim < n) {
            int r = read(buf, lim, exact ? n - lim : buf.length - lim);
            if (r < 0) {
                break;
            }
            lim += r;
        }
        return Math.min(n, lim);
    }

    boolean atEnd() {
        return fill(1) == 0;
    }

    /** Byte i ahead of the read position, after a successful fill. */
    int peek(int i) {
        return buf[pos + i] & 0xFF;
    }

    int peekU16(int i) {
        return bigEndian ? (peek(i) << 8) | peek(i + 1) : peek(i) | (peek(i + 1) << 8);
    }

    /** Drops buffered bytes without consuming them from the stream's point of view (after a reset of it). */
    void discardBuffer() {
        bufStart += pos;
        pos = 0;
        lim = 0;
    }

    boolean bufferEmpty() {
        return pos == lim;
    }

    void require(int n, int tag) {
        if (fill(n) < n) {
            throw new DicomParseException("unexpected end of data: needed " + n + " more byte(s), found "
                    + (lim - pos), position(), tag);
        }
    }

    int u8(int tag) {
        require(1, tag);
        return buf[pos++] & 0xFF;
    }

    int u16(int tag) {
        require(2, tag);
        int v = peekU16(0);
        pos += 2;
        return v;
    }

    /** An unsigned 32-bit value. */
    long u32(int tag) {
        require(4, tag);
        long v = bigEndian
                ? ((long) peek(0) << 24) | (peek(1) << 16) | (peek(2) << 8) | peek(3)
                : ((long) peek(3) << 24) | (peek(2) << 16) | (peek(1) << 8) | peek(0);
        pos += 4;
        return v;
    }

    int tag(int context) {
        int g = u16(context);
        int e = u16(context);
        return (g << 16) | e;
    }

    /** Reads exactly len bytes; fails before allocating when the known size cannot hold them. */
    byte[] bytes(long len, int tag) {
        checkFits(len, tag);
        if (len > Integer.MAX_VALUE - 16) {
            throw new DicomParseException("value of " + len + " bytes is too large to hold in memory",
                    position(), tag);
        }
        int n = (int) len;
        if (n <= lim - pos) {
            byte[] v = Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return v;
        }
        // Grow while reading so the allocation follows the bytes actually present, not the claimed length.
        byte[] out = new byte[Math.min(n, CHUNK)];
        int have = lim - pos;
        System.arraycopy(buf, pos, out, 0, have);
        pos = lim;
        long start = position() - have;
        while (have < n) {
            if (have == out.length) {
                out = Arrays.copyOf(out, (int) Math.min(n, (long) out.length * 2));
            }
            int r = read(out, have, out.length - have);
            if (r < 0) {
                throw new DicomParseException("unexpected end of data: value of " + len + " bytes has only "
                        + have, start, tag);
            }
            have += r;
            bufStart += r;
        }
        return out;
    }

    void skip(long len, int tag) {
        checkFits(len, tag);
        long left = len;
        int inBuf = (int) Math.min(left, lim - pos);
        pos += inBuf;
        left -= inBuf;
        while (left > 0) {
            discardBuffer();
            int r = read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new DicomParseException("unexpected end of data while skipping " + len + " bytes",
                        position(), tag);
            }
            bufStart += r;
            left -= r;
        }
    }

    private void checkFits(long len, int tag) {
        if (len < 0 || len > remaining()) {
            throw new DicomParseException("value length " + len + " exceeds the " + remaining()
                    + " byte(s) left in the data", position(), tag);
        }
    }

    /** The unread bytes (buffered ones first), for a decoder stacked on top: deflate. */
    InputStream remainder() {
        byte[] rest = Arrays.copyOfRange(buf, pos, lim);
        discardBuffer();
        return new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(rest), in);
    }

    /** The underlying stream, for mark/reset at the Pixel Data stop. */
    InputStream stream() {
        return in;
    }

    boolean exact() {
        return exact;
    }

    private int read(byte[] b, int off, int len) {
        try {
            return in.read(b, off, len);
        } catch (ZipException | EOFException e) {
            if (inflated) {
                throw new DicomParseException("deflated data set is corrupt (" + e.getMessage() + ")",
                        position(), -1);
            }
            throw new UncheckedIOException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
