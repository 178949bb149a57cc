package org.pacs.storage.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import software.amazon.awssdk.http.ContentStreamProvider;

/**
 * One part of a spooled file as a re-readable request body. The SDK may read a body more than once (payload
 * signing over plain HTTP, and every retry), so each read opens a fresh stream at the part's offset; the
 * part is never copied into the heap, which is what keeps a multipart upload's memory at a few buffers per
 * connection however large the part.
 */
final class FileRange implements ContentStreamProvider, AutoCloseable {

    private final Path file;
    private final long offset;
    private final long length;
    private InputStream current;

    FileRange(Path file, long offset, long length) {
        this.file = file;
        this.offset = offset;
        this.length = length;
    }

    long length() {
        return length;
    }

    @Override
    public synchronized InputStream newStream() {
        close();
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
            ch.position(offset);
            current = org.pacs.storage.spi.BoundedInputStream.upTo(Channels.newInputStream(ch), length);
            return current;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read part at offset " + offset + " of spooled " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        if (current != null) {
            try {
                current.close();
            } catch (IOException ignored) {
                // a read-only stream of a local temp file: nothing is lost by a failed close
            }
            current = null;
        }
    }
}
