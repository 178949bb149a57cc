package org.pacs.storage.dicom;

import java.io.IOException;
import java.io.OutputStream;

import org.pacs.storage.StorageException;

/**
 * Encodes elements in Little Endian, explicit or implicit VR. Sequences, items and encapsulated Pixel Data are
 * written with undefined length, so nothing has to be measured before it is written.
 */
final class DicomOutput {

    private static final int UNDEFINED = 0xFFFFFFFF;

    private final OutputStream out;
    private final boolean explicit;
    private final byte[] header = new byte[12];

    DicomOutput(OutputStream out, boolean explicit) {
        this.out = out;
        this.explicit = explicit;
    }

    void writeDataset(DicomDataset ds, SpecificCharacterSet inherited) throws IOException {
        SpecificCharacterSet cs = inherited;
        DicomElement charset = ds.get(Tag.SpecificCharacterSet).orElse(null);
        if (charset != null) {
            cs = SpecificCharacterSet.of(charset.strings());
        }
        for (DicomElement e : ds.elements()) {
            writeElement(e, cs);
        }
    }

    void writeElement(DicomElement e, SpecificCharacterSet cs) throws IOException {
        int tag = e.tag();
        VR vr = e.vr();
        if (vr == VR.SQ) {
            writeHeader(tag, vr, UNDEFINED);
            for (DicomDataset item : e.items()) {
                writeDelimiter(Tag.Item, UNDEFINED);
                writeDataset(item, cs);
                writeDelimiter(Tag.ItemDelimitationItem, 0);
            }
            writeDelimiter(Tag.SequenceDelimitationItem, 0);
            return;
        }
        if (e.isEncapsulated()) {
            writeHeader(tag, vr, UNDEFINED);
            for (byte[] f : e.fragments()) {
                writeDelimiter(Tag.Item, f.length + (f.length & 1));
                out.write(f);
                if ((f.length & 1) != 0) {
                    out.write(0);
                }
            }
            writeDelimiter(Tag.SequenceDelimitationItem, 0);
            return;
        }
        byte[] value = vr.isString() ? ValueCodec.encodeStrings(e, cs) : e.bytes();
        int padding = value.length & 1;
        long len = (long) value.length + padding;
        if (explicit && !vr.hasLongLength() && len > 0xFFFF) {
            throw StorageException.invalidInput("Element " + Tag.toString(tag) + " (" + vr + ") holds " + len
                    + " bytes, more than its VR's 16-bit length allows; shorten the value or use a long VR.");
        }
        writeHeader(tag, vr, (int) len);
        out.write(value);
        if (padding != 0) {
            out.write(vr.paddingByte());
        }
    }

    private void writeHeader(int tag, VR vr, int len) throws IOException {
        putTag(tag);
        if (!explicit) {
            putInt(4, len);
            out.write(header, 0, 8);
            return;
        }
        String code = vr.name();
        header[4] = (byte) code.charAt(0);
        header[5] = (byte) code.charAt(1);
        if (vr.hasLongLength()) {
            header[6] = 0;
            header[7] = 0;
            putInt(8, len);
            out.write(header, 0, 12);
        } else {
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
}
