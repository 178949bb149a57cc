package org.pacs.storage.spi;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The next bytes of another stream, no more: a ranged read of a file ({@link #upTo}) or one value or frame cut
 * out of a longer stream ({@link #exactly}). One class for every tier and face, so the bound is enforced the same
 * way everywhere.
 */
public final class BoundedInputStream extends InputStream {

    private final InputStream in;
    private final boolean exact;
    private long left;

    private BoundedInputStream(InputStream in, long length, boolean exact) {
        this.in = Objects.requireNonNull(in, "in");
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        this.left = length;
        this.exact = exact;
    }

    /** At most {@code limit} bytes of {@code in} (fewer if it ends first); closing it closes {@code in}. */
    public static InputStream upTo(InputStream in, long limit) {
        return new BoundedInputStream(in, limit, false);
    }

    /**
     * Exactly {@code length} bytes of {@code in}: an end before them is an EOFException saying how many are
     * missing. Closing it leaves {@code in} open, for the caller to read on past the bound.
     */
    public static InputStream exactly(InputStream in, long length) {
        return new BoundedInputStream(in, length, true);
    }

    @Override
    public int read() throws IOException {
        if (left <= 0) {
            return -1;
        }
        int b = in.read();
        if (b < 0) {
            return ended();
        }
        left--;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n < 0) {
            return ended();
        }
        left -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long s = in.skip(Math.min(n, left));
        left -= s;
        return s;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), left);
    }

    @Override
    public void close() throws IOException {
        if (!exact) {
            in.close();
        }
    }

    private int ended() throws EOFException {
        if (exact) {
            throw new EOFException("the stored instance ends " + left + " byte(s) early");
        }
        return -1;
    }
}
