package org.pacs.storage.dicomweb;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.DicomReader;

/**
 * Reads the header of an instance that is still arriving, keeping the bytes it read, so the instance can be
 * checked (its study against the URL's) before it is stored, and then stored from a replay of those bytes
 * followed by the rest of the stream. Only the header is kept, and at most {@link #MAX_HEADER} bytes of it.
 */
final class HeaderPeek {

    static final int MAX_HEADER = 2 * 1024 * 1024;

    /** Thrown through the reader when the header outgrows the limit. */
    private static final class TooLong extends IOException {
        TooLong() {
            super("header longer than " + MAX_HEADER + " bytes", null);
        }
    }

    private final DicomFile file;
    private final RuntimeException failure;
    private final boolean tooLong;
    private final InputStream replay;

    private HeaderPeek(DicomFile file, RuntimeException failure, boolean tooLong, InputStream replay) {
        this.file = file;
        this.failure = failure;
        this.tooLong = tooLong;
        this.replay = replay;
    }

    /** Never throws for bad data: a parse failure is kept in {@link #failure()}. */
    static HeaderPeek read(InputStream in) {
        Recorder rec = new Recorder(in);
        DicomFile file = null;
        RuntimeException failure = null;
        try {
            file = DicomReader.readHeader(rec);
        } catch (RuntimeException e) {
            failure = e;
        }
        InputStream replay = new SequenceInputStream(new ByteArrayInputStream(rec.kept.toByteArray()), in);
        return new HeaderPeek(file, rec.overflow ? null : failure, rec.overflow, replay);
    }

    /** The parsed header, or null when it could not be parsed or was too long. */
    DicomFile file() {
        return file;
    }

    /** Why the header did not parse (not DICOM, or the stream failed), or null. */
    RuntimeException failure() {
        return failure;
    }

    boolean tooLong() {
        return tooLong;
    }

    /** The whole instance: the bytes read so far, then the rest. */
    InputStream replay() {
        return replay;
    }

    private static final class Recorder extends FilterInputStream {
        final ByteArrayOutputStream kept = new ByteArrayOutputStream(8192);
        boolean overflow;

        Recorder(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (kept.size() >= MAX_HEADER) {
                overflow = true;
                throw new TooLong();
            }
            int n = in.read(b, off, Math.min(len, MAX_HEADER - kept.size()));
            if (n > 0) {
                kept.write(b, off, n);
            }
            return n;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] sink = new byte[(int) Math.min(n, 8192)];
            int r = read(sink, 0, sink.length);
            return Math.max(r, 0);
        }
    }
}
