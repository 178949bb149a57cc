package org.pacs.storage.dicom;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** Hand-encoded elements, for bytes the writer would never produce (foreign charsets, malformed lengths). */
final class RawElements {

    private RawElements() {
    }

    static void explicitLe(ByteArrayOutputStream out, int tag, String vr, byte[] value) {
        tag(out, tag);
        out.write(vr.charAt(0));
        out.write(vr.charAt(1));
        if (VR.valueOf(vr).hasLongLength()) {
            out.write(0);
            out.write(0);
            le32(out, value.length);
        } else {
            out.write(value.length);
            out.write(value.length >>> 8);
        }
        out.writeBytes(value);
    }

    static void implicitLe(ByteArrayOutputStream out, int tag, byte[] value) {
        tag(out, tag);
        le32(out, value.length);
        out.writeBytes(value);
    }

    /** Preamble, DICM and a meta group (Explicit VR LE) naming the transfer syntax, then the data set's bytes. */
    static byte[] part10(String transferSyntax, byte[] dataset) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[128]);
        out.writeBytes(new byte[] {'D', 'I', 'C', 'M'});
        explicitLe(out, Tag.TransferSyntaxUID, "UI",
                pad(transferSyntax.getBytes(java.nio.charset.StandardCharsets.US_ASCII), '\0'));
        out.writeBytes(dataset);
        return out.toByteArray();
    }

    static byte[] us(int... values) {
        byte[] b = new byte[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            b[2 * i] = (byte) values[i];
            b[2 * i + 1] = (byte) (values[i] >>> 8);
        }
        return b;
    }

    static void tag(ByteArrayOutputStream out, int tag) {
        out.write(tag >>> 16);
        out.write(tag >>> 24);
        out.write(tag);
        out.write(tag >>> 8);
    }

    static void le32(ByteArrayOutputStream out, long v) {
        out.write((int) v);
        out.write((int) (v >>> 8));
        out.write((int) (v >>> 16));
        out.write((int) (v >>> 24));
    }

    static byte[] pad(byte[] v, char padding) {
        if ((v.length & 1) == 0) {
            return v;
        }
        byte[] p = Arrays.copyOf(v, v.length + 1);
        p[v.length] = (byte) padding;
        return p;
    }
}
