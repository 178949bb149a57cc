package org.pacs.storage.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.pacs.storage.PixelLayout;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.DicomParseException;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.dicom.VR;

/**
 * Header mode stops before Pixel Data, so on its own it would accept a file cut off inside the pixels. This
 * check reads only the Pixel Data element header (and, when encapsulated, each fragment's 8-byte item
 * header) and proves the declared lengths fit in the file, without reading pixel bytes: a 2 GiB instance
 * costs a few reads. On the way it records where the value and each fragment lie ({@link PixelLayout}), which
 * the catalog keeps so that a frame is later one ranged read.
 */
final class PixelDataCheck {

    private static final int PIXEL_DATA = Tag.PixelData;
    private static final long UNDEFINED = 0xFFFFFFFFL;
    // Encapsulated pixel data of real files has at most a few thousand fragments; the bound only stops a
    // hostile file with millions of empty items from turning a store into a long loop.
    private static final int MAX_FRAGMENTS = 10_000_000;

    /** Positional reads of the stored bytes: a local file, or ranged reads of a blob (rebuild). */
    interface Source {
        /** Reads exactly {@code b.remaining()} bytes at {@code pos} into {@code b}; fewer only at the end. */
        void read(ByteBuffer b, long pos) throws IOException;
    }

    private PixelDataCheck() {
    }

    /**
     * Checks a spooled file and captures what the catalog keeps of it, read through {@code src} (its first bytes
     * in memory, the rest from the file): the layout of its Pixel Data, and its header bytes. Null when nothing is kept (see {@link HeaderCapture}).
     */
    static org.pacs.storage.StoredHeader verifyAndCapture(Source src, DicomFile header, long fileSize) {
        try {
            PixelLayout layout = verify(src, header, fileSize, true);
            return HeaderCapture.capture(src, header, fileSize, layout);
        } catch (IOException e) {
            throw new DicomParseException("Could not read Pixel Data (" + e.getMessage() + ")", header.headerLength(),
                    PIXEL_DATA);
        }
    }

    /**
     * Proves the Pixel Data lengths fit in the file; returns where the value lies, or null (no Pixel Data, or a
     * syntax not cut into frames). With {@code walkFragments} false an encapsulated value is neither walked nor
     * given a layout (each item header would be a request to an object store).
     */
    static PixelLayout verify(Source in, DicomFile header, long fileSize, boolean walkFragments) throws IOException {
        long pos = header.headerLength();
        String ts = header.transferSyntaxUid();
        if (pos >= fileSize || TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.equals(ts)) {
            // Nothing after the header, or a deflated stream whose offsets are not file offsets.
            return null;
        }
        boolean bigEndian = TransferSyntax.EXPLICIT_VR_BIG_ENDIAN.equals(ts);
        boolean implicit = header.implicitVr(); // how the data set is really encoded (pydicom's SC_rgb_jpeg.dcm: implicit under an explicit meta)
        ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        ByteBuffer b = read(in, pos, (int) Math.min(12, fileSize - pos), fileSize, order);
        if (b.capacity() < 8) {
            throw truncated(pos, "The file ends inside the Pixel Data element header");
        }
        int tag = (Short.toUnsignedInt(b.getShort(0)) << 16) | Short.toUnsignedInt(b.getShort(2));
        if (tag != PIXEL_DATA) {
            return null; // the reader stopped elsewhere (e.g. trailing padding); nothing we can check cheaply
        }
        long length;
        long valueStart;
        if (implicit) {
            length = Integer.toUnsignedLong(b.getInt(4));
            valueStart = pos + 8;
        } else {
            VR vr = VR.fromCode(b.get(4), b.get(5));
            if (vr != null && !vr.hasLongLength()) {
                // A wrong short-form VR on Pixel Data: still readable, with a 16-bit length.
                length = Short.toUnsignedInt(b.getShort(6));
                valueStart = pos + 8;
            } else {
                if (b.capacity() < 12) {
                    throw truncated(pos, "The file ends inside the Pixel Data element header");
                }
                length = Integer.toUnsignedLong(b.getInt(8));
                valueStart = pos + 12;
            }
        }
        if (length != UNDEFINED) {
            if (valueStart + length > fileSize) {
                throw truncated(pos, "Pixel Data declares " + length + " bytes but only "
                        + (fileSize - valueStart) + " follow");
            }
            return bigEndian ? null : PixelLayout.nativeValue(valueStart, length);
        }
        if (!walkFragments) {
            return null;
        }
        PixelLayout layout = walkFragments(in, valueStart, fileSize, order);
        return bigEndian ? null : layout;
    }

    /** Walks every item; returns the layout, or null when it is too large to keep or the table is malformed. */
    private static PixelLayout walkFragments(Source in, long start, long fileSize, ByteOrder order) throws IOException {
        long pos = start;
        long[] table = null;
        long[] lengths = new long[16];
        int fragments = 0;
        boolean keep = true;
        for (int n = 0; n < MAX_FRAGMENTS; n++) {
            ByteBuffer b = read(in, pos, 8, fileSize, order);
            int tag = (Short.toUnsignedInt(b.getShort(0)) << 16) | Short.toUnsignedInt(b.getShort(2));
            long len = Integer.toUnsignedLong(b.getInt(4));
            if (tag == Tag.SequenceDelimitationItem) {
                return keep && table != null ? new PixelLayout(start, PixelLayout.ENCAPSULATED, table,
                        java.util.Arrays.copyOf(lengths, fragments)) : null;
            }
            if (tag != Tag.Item || len == UNDEFINED) {
                throw truncated(pos, "Encapsulated Pixel Data holds " + Tag.toString(tag)
                        + " where a fragment item was expected");
            }
            if (pos + 8 + len > fileSize) {
                throw truncated(pos, "A Pixel Data fragment of " + len + " bytes runs past the end of the file");
            }
            if (n == 0) {
                // the Basic Offset Table; one that is not a whole number of entries is left to the full read
                keep = len % 4 == 0 && len / 4 <= PixelLayout.MAX_FRAGMENTS;
                if (keep) {
                    table = offsetTable(in, pos + 8, (int) (len / 4), order);
                }
            } else if (keep) {
                if (fragments == PixelLayout.MAX_FRAGMENTS) {
                    keep = false; // still walked to its end: the check is for every fragment
                } else {
                    if (fragments == lengths.length) {
                        lengths = java.util.Arrays.copyOf(lengths, Math.min(PixelLayout.MAX_FRAGMENTS,
                                lengths.length * 2));
                    }
                    lengths[fragments++] = len;
                }
            }
            pos += 8 + len;
        }
        throw truncated(pos, "Encapsulated Pixel Data has more than " + MAX_FRAGMENTS + " fragments");
    }

    private static long[] offsetTable(Source in, long pos, int entries, ByteOrder order) throws IOException {
        long[] out = new long[entries];
        ByteBuffer b = ByteBuffer.allocate(4 * entries).order(order);
        in.read(b, pos);
        if (b.hasRemaining()) {
            throw truncated(pos, "The file ends inside the Basic Offset Table");
        }
        for (int i = 0; i < entries; i++) {
            out[i] = Integer.toUnsignedLong(b.getInt(4 * i));
        }
        return out;
    }

    private static ByteBuffer read(Source in, long pos, int n, long fileSize, ByteOrder order) throws IOException {
        if (pos + n > fileSize) {
            throw truncated(pos, "The file ends inside Pixel Data");
        }
        ByteBuffer b = ByteBuffer.allocate(n).order(order);
        in.read(b, pos);
        if (b.hasRemaining()) {
            throw truncated(pos, "The file ends inside Pixel Data");
        }
        return b;
    }

    private static DicomParseException truncated(long offset, String what) {
        return new DicomParseException(what + " (truncated file?)", offset, PIXEL_DATA);
    }
}
