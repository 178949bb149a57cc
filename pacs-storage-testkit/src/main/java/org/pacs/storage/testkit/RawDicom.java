package org.pacs.storage.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.pacs.storage.dicom.TransferSyntax;

/**
 * Hand-made Explicit VR Little Endian Part 10 bytes for the inputs {@link org.pacs.storage.dicom.DicomWriter}
 * rightly refuses to produce: no SOP Instance UID anywhere, UIDs with path or SQL syntax, lengths that lie.
 * Elements are written in the order given; the caller keeps them ascending.
 */
public final class RawDicom {

    private final ByteArrayOutputStream meta = new ByteArrayOutputStream();
    private final ByteArrayOutputStream data = new ByteArrayOutputStream();

    private RawDicom() {
        element(meta, 0x00020010, "UI", uidBytes(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
    }

    /** Starts a file whose meta group holds only the Transfer Syntax (Explicit VR LE). */
    public static RawDicom explicitLittleEndian() {
        return new RawDicom();
    }

    public RawDicom string(int tag, String vr, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        if (v.length % 2 == 1) {
            v = java.util.Arrays.copyOf(v, v.length + 1);
            v[v.length - 1] = (byte) (vr.equals("UI") ? 0 : ' ');
        }
        element(data, tag, vr, v);
        return this;
    }

    /** An element header declaring {@code declaredLength} but followed by {@code actual} bytes only. */
    public RawDicom lyingLength(int tag, String vr, long declaredLength, int actual) {
        ByteBuffer b = header(tag, vr, declaredLength);
        data.write(b.array(), 0, b.position());
        data.write(new byte[actual], 0, actual);
        return this;
    }

    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[128], 0, 128);
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        byte[] m = meta.toByteArray();
        ByteBuffer len = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(m.length);
        element(out, 0x00020000, "UL", len.array());
        out.writeBytes(m);
        out.writeBytes(data.toByteArray());
        return out.toByteArray();
    }

    private static byte[] uidBytes(String uid) {
        String v = uid.length() % 2 == 1 ? uid + "\0" : uid;
        return v.getBytes(StandardCharsets.US_ASCII);
    }

    private static void element(ByteArrayOutputStream out, int tag, String vr, byte[] value) {
        ByteBuffer b = header(tag, vr, value.length);
        out.write(b.array(), 0, b.position());
        out.writeBytes(value);
    }

    private static ByteBuffer header(int tag, String vr, long length) {
        ByteBuffer b = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) (tag >>> 16)).putShort((short) tag);
        b.put((byte) vr.charAt(0)).put((byte) vr.charAt(1));
        boolean longForm = switch (vr) {
            case "OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV" -> true;
            default -> false;
        };
        if (longForm) {
            b.putShort((short) 0).putInt((int) length);
        } else {
            b.putShort((short) length);
        }
        return b;
    }
}
