package org.pacs.storage.dimse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import org.pacs.storage.dicom.DicomDictionary;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.dicom.VR;

/**
 * Re-encodes a stored data set into the other uncompressed Little Endian syntax a C-GET or C-MOVE peer accepted
 * (PS3.5 §7.1, Annex A): Implicit VR LE, Explicit VR LE, Explicit VR BE and Deflated Explicit VR LE in; Implicit or
 * Explicit VR LE out. It streams element by element with one 64 KiB buffer, so an instance of any size is
 * re-encoded in bounded memory, and it only rewrites element headers: every value is copied byte for byte (Big
 * Endian values swapped per their VR's word size, which keeps each number), so pixel data and strings are
 * unchanged.
 *
 * <p>Why not DicomReader and DicomWriter: they hold the whole data set (pixel data included) in memory, and the
 * writer re-encodes strings through the character set, which need not give back the stored bytes.
 *
 * <p>Rules: implicit to explicit takes each VR from {@link DicomDictionary} (private creators LO, other private and
 * unknown tags UN, "US or SS" as SS once Pixel Representation 1 was seen in the item or an enclosing one); a value
 * too long for its VR's 16-bit length goes as UN, as PS3.5 §6.2.2 allows. An undefined-length unknown element is a
 * sequence (CP-246). Explicit to implicit drops the VRs. Sequences and items are written with undefined length
 * (their defined lengths change with the header sizes), and group lengths (gggg,0000), retired and now wrong, are
 * left out. Encapsulated pixel data is never transcoded: only the native syntaxes are accepted.
 */
final class Transcoder {

    private static final int UNDEFINED = 0xFFFFFFFF;
    private static final int MAX_DEPTH = 64;

    /** Where the bytes are wrong for their syntax; the sub-operation fails with this message. */
    static final class TranscodeException extends IOException {
        TranscodeException(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private final OutputStream out;
    private final boolean bigEndian;
    private final boolean toExplicit;
    private final byte[] buf = new byte[64 * 1024];
    private final byte[] header = new byte[12];
    private int bufPos;
    private int bufEnd;
    private long position;

    private Transcoder(InputStream in, boolean bigEndian, OutputStream out, boolean toExplicit) {
        this.in = in;
        this.bigEndian = bigEndian;
        this.out = out;
        this.toExplicit = toExplicit;
    }

    /** Whether a data set stored in {@code from} can be sent in {@code to}. */
    static boolean canTranscode(String from, String to) {
        boolean source = from.equals(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)
                || from.equals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)
                || from.equals(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN)
                || from.equals(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
        boolean target = to.equals(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)
                || to.equals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        return source && target && !from.equals(to);
    }

    /**
     * Copies the data set from {@code in} (encoded in {@code from}) to {@code out} in {@code to}; the streams are
     * neither closed nor flushed. IOException from the streams; TranscodeException for malformed bytes.
     */
    static void transcode(InputStream in, String from, OutputStream out, String to) throws IOException {
        if (!canTranscode(from, to)) {
            throw new IllegalArgumentException(from + " -> " + to);
        }
        boolean deflated = from.equals(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
        Inflater inflater = deflated ? new Inflater(true) : null;
        try {
            InputStream source = deflated ? new InflaterInputStream(in, inflater, 8192) : in;
            Transcoder t = new Transcoder(source, from.equals(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN), out,
                    to.equals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
            // A data set in Implicit VR under an explicit meta group (pydicom's SC_rgb_jpeg.dcm) is read as such,
            // as DicomReader reads it: the first element has no VR where an explicit one has it.
            boolean explicit = !from.equals(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
            if (explicit && t.fill(6) >= 6 && VR.fromCode(t.buf[t.bufPos + 4] & 0xFF, t.buf[t.bufPos + 5] & 0xFF) == null) {
                explicit = false;
            }
            t.items(-1, false, explicit, 0, false);
        } finally {
            if (inflater != null) {
                inflater.end();
            }
        }
    }

    /**
     * The elements of one data set: the top level (to end of data), an item of defined length (to {@code end}), or
     * an undefined-length item (to its delimiter).
     */
    private void items(long end, boolean delimited, boolean explicit, int depth, boolean signedAbove)
            throws IOException {
        boolean signed = signedAbove;
        while (true) {
            if (end >= 0 && position >= end) {
                if (position > end) {
                    throw bad("elements run past the end of their item", -1);
                }
                return;
            }
            if (end < 0 && !delimited && fill(1) == 0) {
                return;
            }
            int tag = tag();
            if (tag == Tag.ItemDelimitationItem) {
                u32(tag);
                if (!delimited) {
                    throw bad("item delimiter outside an item", tag);
                }
                return;
            }
            if (Tag.group(tag) == 0xFFFE) {
                throw bad("unexpected " + Tag.toString(tag), tag);
            }
            VR vr;
            long len;
            if (explicit) {
                int b0 = u8(tag);
                int b1 = u8(tag);
                vr = VR.fromCode(b0, b1);
                if (vr == null) {
                    throw bad(String.format("invalid VR bytes 0x%02X 0x%02X", b0, b1), tag);
                }
                if (vr.hasLongLength()) {
                    u16(tag);
                    len = u32(tag);
                } else {
                    len = u16(tag);
                }
            } else {
                len = u32(tag);
                vr = implicitVr(tag, signed);
            }
            if (len == (UNDEFINED & 0xFFFFFFFFL)) {
                undefined(tag, vr, explicit, depth, signed);
            } else if (vr == VR.SQ) {
                writeHeader(tag, VR.SQ, UNDEFINED);
                sequence(position + len, explicit, depth, signed);
            } else if (Tag.element(tag) == 0) {
                skip(len, tag); // a group length: wrong once headers change size, and retired
            } else {
                if (tag == Tag.PixelRepresentation && len == 2) {
                    signed = fill(2) >= 2 && (buf[bufPos] | buf[bufPos + 1]) != 0;
                }
                VR written = toExplicit && !vr.hasLongLength() && len > 0xFFFF ? VR.UN : vr;
                writeHeader(tag, written, (int) len);
                copy(len, bigEndian ? swapWidth(vr) : 1, tag);
            }
        }
    }

    private void undefined(int tag, VR vr, boolean explicit, int depth, boolean signed) throws IOException {
        if (vr == VR.SQ) {
            writeHeader(tag, VR.SQ, UNDEFINED);
            sequence(-1, explicit, depth, signed);
        } else if (tag == Tag.PixelData || explicit && (vr == VR.OB || vr == VR.OW)) {
            // encapsulated: the fragments travel as they are
            writeHeader(tag, VR.OB, UNDEFINED);
            fragments(tag);
        } else if (!explicit || vr == VR.UN) {
            // CP-246: an undefined-length unknown element is a sequence, its items in Implicit VR LE
            writeHeader(tag, VR.SQ, UNDEFINED);
            sequence(-1, false, depth, signed);
        } else {
            throw bad("undefined length is not allowed for VR " + vr, tag);
        }
    }

    private void sequence(long end, boolean explicit, int depth, boolean signed) throws IOException {
        if (depth >= MAX_DEPTH) {
            throw bad("sequences nested deeper than " + MAX_DEPTH + " levels", -1);
        }
        while (true) {
            if (end >= 0 && position >= end) {
                break;
            }
            int tag = tag();
            long len = u32(tag);
            if (tag == Tag.SequenceDelimitationItem) {
                if (end >= 0) {
                    throw bad("sequence delimiter inside a defined-length sequence", tag);
                }
                break;
            }
            if (tag != Tag.Item) {
                throw bad("expected an item tag (FFFE,E000) but found " + Tag.toString(tag), tag);
            }
            writeDelimiter(Tag.Item, UNDEFINED);
            boolean delimited = len == (UNDEFINED & 0xFFFFFFFFL);
            items(delimited ? -1 : position + len, delimited, explicit, depth + 1, signed);
            writeDelimiter(Tag.ItemDelimitationItem, 0);
        }
        writeDelimiter(Tag.SequenceDelimitationItem, 0);
    }

    private void fragments(int pixelTag) throws IOException {
        while (true) {
            int tag = tag();
            long len = u32(tag);
            if (tag == Tag.SequenceDelimitationItem) {
                writeDelimiter(Tag.SequenceDelimitationItem, 0);
                return;
            }
            if (tag != Tag.Item || len == (UNDEFINED & 0xFFFFFFFFL)) {
                throw bad("malformed fragment item in encapsulated pixel data", pixelTag);
            }
            writeDelimiter(Tag.Item, (int) len);
            copy(len, 1, pixelTag);
        }
    }

    /** The VR an implicit element gets in an explicit encoding. */
    private static VR implicitVr(int tag, boolean signed) {
        VR vr = DicomDictionary.vrOf(tag);
        if (signed && vr == VR.US && DicomDictionary.byTag(tag).map(e -> e.vrs().contains(VR.SS)).orElse(false)) {
            return VR.SS;
        }
        return vr;
    }

    /** Bytes per number that Big Endian reverses; 1 for bytes and text. */
    private static int swapWidth(VR vr) {
        return switch (vr) {
            case US, SS, OW, AT -> 2;
            case UL, SL, FL, OF, OL -> 4;
            case FD, OD, SV, UV, OV -> 8;
            default -> 1;
        };
    }

    // ---- output ----

    private void writeHeader(int tag, VR vr, int len) throws IOException {
        putTag(tag);
        if (!toExplicit) {
            putInt(4, len);
            out.write(header, 0, 8);
        } else if (vr.hasLongLength()) {
            header[4] = (byte) vr.name().charAt(0);
            header[5] = (byte) vr.name().charAt(1);
            header[6] = 0;
            header[7] = 0;
            putInt(8, len);
            out.write(header, 0, 12);
        } else {
            header[4] = (byte) vr.name().charAt(0);
            header[5] = (byte) vr.name().charAt(1);
            header[6] = (byte) len;
            header[7] = (byte) (len >>> 8);
            out.write(header, 0, 8);
        }
    }

    private void writeDelimiter(int tag, int len) throws IOException {
        putTag(tag);
        putInt(4, len);
        out.write(header, 0, 8);
    }

    private void putTag(int tag) {
        header[0] = (byte) (tag >>> 16);
        header[1] = (byte) (tag >>> 24);
        header[2] = (byte) tag;
        header[3] = (byte) (tag >>> 8);
    }

    private void putInt(int at, int v) {
        header[at] = (byte) v;
        header[at + 1] = (byte) (v >>> 8);
        header[at + 2] = (byte) (v >>> 16);
        header[at + 3] = (byte) (v >>> 24);
    }

    // ---- input ----

    /** Copies {@code len} value bytes, reversing each {@code width}-byte number when the source is Big Endian. */
    private void copy(long len, int width, int tag) throws IOException {
        if (width > 1 && len % width != 0) {
            throw bad("value of " + len + " bytes is not a whole number of " + width + "-byte values", tag);
        }
        long left = len;
        while (left > 0) {
            if (bufPos == bufEnd && refill() < 0) {
                throw new TranscodeException("data set ends inside element " + Tag.toString(tag) + " at byte " + position);
            }
            int n = (int) Math.min(left, bufEnd - bufPos);
            if (width > 1) {
                n -= n % width;
                if (n == 0) {
                    fill(width); // a number split across reads: gather it first
                    if (bufEnd - bufPos < width) {
                        throw new TranscodeException("data set ends inside element " + Tag.toString(tag));
                    }
                    n = width;
                }
                swap(buf, bufPos, n, width);
            }
            out.write(buf, bufPos, n);
            bufPos += n;
            position += n;
            left -= n;
        }
    }

    private static void swap(byte[] b, int off, int n, int width) {
        for (int i = off; i < off + n; i += width) {
            for (int a = i, z = i + width - 1; a < z; a++, z--) {
                byte t = b[a];
                b[a] = b[z];
                b[z] = t;
            }
        }
    }

    private void skip(long len, int tag) throws IOException {
        long left = len;
        while (left > 0) {
            if (bufPos == bufEnd && refill() < 0) {
                throw new TranscodeException("data set ends inside element " + Tag.toString(tag));
            }
            int n = (int) Math.min(left, bufEnd - bufPos);
            bufPos += n;
            position += n;
            left -= n;
        }
    }

    private int tag() throws IOException {
        int group = u16(-1);
        int element = u16(-1);
        return (group << 16) | element;
    }

    private int u8(int tag) throws IOException {
        need(1, tag);
        position++;
        return buf[bufPos++] & 0xFF;
    }

    private int u16(int tag) throws IOException {
        need(2, tag);
        int a = buf[bufPos] & 0xFF;
        int b = buf[bufPos + 1] & 0xFF;
        bufPos += 2;
        position += 2;
        return bigEndian ? (a << 8) | b : (b << 8) | a;
    }

    private long u32(int tag) throws IOException {
        need(4, tag);
        long v = 0;
        for (int i = 0; i < 4; i++) {
            int b = buf[bufPos + (bigEndian ? i : 3 - i)] & 0xFF;
            v = (v << 8) | b;
        }
        bufPos += 4;
        position += 4;
        return v;
    }

    private void need(int n, int tag) throws IOException {
        if (fill(n) < n) {
            throw new TranscodeException("data set ends at byte " + position
                    + (tag == -1 ? "" : " inside element " + Tag.toString(tag)));
        }
    }

    /** Makes at least {@code n} bytes available if the stream has them; returns how many are. */
    private int fill(int n) throws IOException {
        if (bufEnd - bufPos >= n) {
            return bufEnd - bufPos;
        }
        System.arraycopy(buf, bufPos, buf, 0, bufEnd - bufPos);
        bufEnd -= bufPos;
        bufPos = 0;
        while (bufEnd < n) {
            int r = in.read(buf, bufEnd, buf.length - bufEnd);
            if (r < 0) {
                break;
            }
            bufEnd += r;
        }
        return bufEnd;
    }

    private int refill() throws IOException {
        bufPos = 0;
        bufEnd = 0;
        int r = in.read(buf, 0, buf.length);
        if (r > 0) {
            bufEnd = r;
        }
        return r;
    }

    private TranscodeException bad(String what, int tag) {
        return new TranscodeException(what + (tag == -1 ? "" : " at " + Tag.toString(tag)) + " (byte " + position + ")");
    }
}
