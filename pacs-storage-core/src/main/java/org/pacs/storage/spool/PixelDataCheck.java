package org.pacs.storage.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.DicomParseException;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.dicom.VR;

/**
 * Header mode stops before Pixel Data, so on its own it would accept a file cut off inside the pixels. This
 * check reads only the Pixel Data element header (and, when encapsulated, each fragment's 8-byte item
 * header) and proves the declared lengths fit in the file, without reading pixel bytes: a 2 GiB instance
 * costs a few reads.
 */
final class PixelDataCheck {

    private static final int PIXEL_DATA = Tag.PixelData;
    private static final long UNDEFINED = 0xFFFFFFFFL;
    // Encapsulated pixel data of real files has at most a few thousand fragments; the bound only stops a
    // hostile file with millions of empty items from turning a store into a long loop.
    private static final int MAX_FRAGMENTS = 10_000_000;

    private PixelDataCheck() {
    }

    static void verify(Path file, DicomFile header, long fileSize) {
        long pos = header.headerLength();
        String ts = header.transferSyntaxUid();
        if (pos >= fileSize || TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.equals(ts)) {
            // Nothing after the header, or a deflated stream whose offsets are not file offsets.
            return;
        }
        boolean bigEndian = TransferSyntax.EXPLICIT_VR_BIG_ENDIAN.equals(ts);
        boolean implicit = header.implicitVr(); // how the data set is really encoded (pydicom's SC_rgb_jpeg.dcm: implicit under an explicit meta)
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            ByteBuffer b = read(ch, pos, (int) Math.min(12, fileSize - pos), fileSize, order);
            if (b.capacity() < 8) {
                throw truncated(pos, "The file ends inside the Pixel Data element header");
            }
            int tag = (Short.toUnsignedInt(b.getShort(0)) << 16) | Short.toUnsignedInt(b.getShort(2));
            if (tag != PIXEL_DATA) {
                return; // the reader stopped elsewhere (e.g. trailing padding); nothing we can check cheaply
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
                return;
            }
            walkFragments(ch, valueStart, fileSize, order);
        } catch (IOException e) {
            throw new DicomParseException("Could not read Pixel Data (" + e.getMessage() + ")", pos, PIXEL_DATA);
        }
    }

    private static void walkFragments(FileChannel ch, long pos, long fileSize, ByteOrder order) throws IOException {
        for (int n = 0; n < MAX_FRAGMENTS; n++) {
            ByteBuffer b = read(ch, pos, 8, fileSize, order);
            int tag = (Short.toUnsignedInt(b.getShort(0)) << 16) | Short.toUnsignedInt(b.getShort(2));
            long len = Integer.toUnsignedLong(b.getInt(4));
            if (tag == Tag.SequenceDelimitationItem) {
                return;
            }
            if (tag != Tag.Item || len == UNDEFINED) {
                throw truncated(pos, "Encapsulated Pixel Data holds " + Tag.toString(tag)
                        + " where a fragment item was expected");
            }
            pos += 8 + len;
            if (pos > fileSize) {
                throw truncated(pos - len - 8, "A Pixel Data fragment of " + len + " bytes runs past the end of the file");
            }
        }
        throw truncated(pos, "Encapsulated Pixel Data has more than " + MAX_FRAGMENTS + " fragments");
    }

    private static ByteBuffer read(FileChannel ch, long pos, int n, long fileSize, ByteOrder order) throws IOException {
        if (pos + n > fileSize) {
            throw truncated(pos, "The file ends inside Pixel Data");
        }
        ByteBuffer b = ByteBuffer.allocate(n).order(order);
        while (b.hasRemaining()) {
            if (ch.read(b, pos + b.position()) < 0) {
                throw truncated(pos, "The file ends inside Pixel Data");
            }
        }
        return b;
    }

    private static DicomParseException truncated(long offset, String what) {
        return new DicomParseException(what + " (truncated file?)", offset, PIXEL_DATA);
    }
}
