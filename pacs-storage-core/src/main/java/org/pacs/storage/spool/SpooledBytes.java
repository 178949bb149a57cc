package org.pacs.storage.spool;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A spooled file read back for its header and Pixel Data check, with its first bytes still in memory from the
 * copy: most headers end within them, so the parse and the check then cost no open, no read and no close of the
 * file (three of each per instance before, on a path that stores thousands a second). Whatever lies past the
 * kept bytes is read from the file, opened on first need. Not thread-safe; closed by the spooler.
 */
final class SpooledBytes implements PixelDataCheck.Source, AutoCloseable {

    private final Path file;
    private final byte[] head;
    private final int headLength;
    private FileChannel channel;

    /** {@code head[0, headLength)} are the file's first bytes, exactly as they were written to it. */
    SpooledBytes(Path file, byte[] head, int headLength) {
        this.file = file;
        this.head = head;
        this.headLength = headLength;
    }

    /** The spooled (or the caller's) file these bytes are the start of. */
    Path path() {
        return file;
    }

    /** The file from its first byte: the kept bytes, then the file's rest. */
    InputStream stream() {
        InputStream rest = new InputStream() {
            private InputStream in;

            @Override
            public int read() throws IOException {
                return open().read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return open().read(b, off, len);
            }

            private InputStream open() throws IOException {
                if (in == null) {
                    in = Channels.newInputStream(channel().position(headLength));
                }
                return in;
            }
        };
        return new SequenceInputStream(new ByteArrayInputStream(head, 0, headLength), rest);
    }

    @Override
    public void read(ByteBuffer b, long pos) throws IOException {
        long at = pos;
        if (at < headLength) {
            int n = (int) Math.min(b.remaining(), headLength - at);
            b.put(head, (int) at, n);
            at += n;
        }
        while (b.hasRemaining()) {
            int n = channel().read(b, at);
            if (n < 0) {
                return;
            }
            at += n;
        }
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        }
        return channel;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
