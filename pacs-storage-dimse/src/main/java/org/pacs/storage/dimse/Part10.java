package org.pacs.storage.dimse;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;

import org.pacs.storage.StorageException;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.DicomWriter;
import org.pacs.storage.dicom.TransferSyntax;

/**
 * Between the network's bare data sets and the archive's Part 10 files: the meta group a C-STORE's instance is
 * stored with, the data set part of a stored file for a C-STORE sub-operation, and C-FIND identifiers.
 */
final class Part10 {

    /** Identifiers are a few attributes; a bigger one is refused rather than buffered. */
    static final int MAX_IDENTIFIER = 1024 * 1024;

    private Part10() {
    }

    /**
     * Preamble, "DICM" and a meta group (PS3.10 §7.1) for an instance received over the network: the SOP class and
     * instance of the C-STORE-RQ, the context's transfer syntax and the sender's AE title (0002,0016).
     */
    static byte[] metaHeader(String sopClass, String sopInstance, String transferSyntax, String sourceAe) {
        ByteArrayOutputStream group = new ByteArrayOutputStream(256);
        element(group, 0x0001, "OB", new byte[] {0, 1});
        element(group, 0x0002, "UI", uid(sopClass));
        element(group, 0x0003, "UI", uid(sopInstance));
        element(group, 0x0010, "UI", uid(transferSyntax));
        element(group, 0x0012, "UI", uid(DicomWriter.IMPLEMENTATION_CLASS_UID));
        element(group, 0x0013, "SH", text(DicomWriter.IMPLEMENTATION_VERSION_NAME));
        element(group, 0x0016, "AE", text(sourceAe));
        ByteArrayOutputStream out = new ByteArrayOutputStream(group.size() + 150);
        out.writeBytes(new byte[128]);
        out.writeBytes(new byte[] {'D', 'I', 'C', 'M'});
        int n = group.size();
        element(out, 0x0000, "UL", new byte[] {(byte) n, (byte) (n >>> 8), (byte) (n >>> 16), (byte) (n >>> 24)});
        out.writeBytes(group.toByteArray());
        return out.toByteArray();
    }

    private static void element(ByteArrayOutputStream out, int element, String vr, byte[] value) {
        out.writeBytes(new byte[] {2, 0, (byte) element, (byte) (element >>> 8), (byte) vr.charAt(0), (byte) vr.charAt(1)});
        if (vr.equals("OB")) {
            out.writeBytes(new byte[] {0, 0, (byte) value.length, 0, 0, 0});
        } else {
            out.writeBytes(new byte[] {(byte) value.length, (byte) (value.length >>> 8)});
        }
        out.writeBytes(value);
    }

    private static byte[] uid(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        return (b.length & 1) == 0 ? b : java.util.Arrays.copyOf(b, b.length + 1);
    }

    private static byte[] text(String s) {
        return ((s.length() & 1) == 0 ? s : s + " ").getBytes(StandardCharsets.US_ASCII);
    }

    /** Parses a network data set of the given syntax: the reader is handed a minimal meta group naming it. */
    static DicomDataset parseDataset(byte[] data, String transferSyntax) {
        byte[] header = metaHeader("1.2", "1.2", transferSyntax, "X");
        return DicomReader.read(new SequenceInputStream(new ByteArrayInputStream(header),
                new ByteArrayInputStream(data))).dataset();
    }

    static byte[] encodeDataset(DicomDataset ds, String transferSyntax) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        DicomWriter.writeDataset(ds, out, transferSyntax);
        return out.toByteArray();
    }

    /**
     * A stored instance's data set (after its meta group), the transfer syntax its meta group names, and how many
     * bytes preamble and meta group took (so the data set's length is the file size minus that).
     */
    record StoredDataset(String transferSyntax, InputStream dataset, long headerLength) {
    }

    /**
     * Skips the preamble and meta group of a stored file. Files stored without a meta group (the archive accepts
     * bare data sets) are returned whole with the syntax the catalog recorded.
     */
    static StoredDataset openDataset(InputStream stored, String catalogSyntax) throws IOException {
        BufferedInputStream in = new BufferedInputStream(stored, 64 * 1024);
        in.mark(140);
        byte[] head = in.readNBytes(132);
        if (head.length < 132 || head[128] != 'D' || head[129] != 'I' || head[130] != 'C' || head[131] != 'M') {
            in.reset();
            return new StoredDataset(orDefault(catalogSyntax), in, 0);
        }
        String ts = null;
        long consumed = 132;
        // Walk group 0002 element by element (explicit VR LE): files whose group length is missing or wrong exist.
        while (true) {
            in.mark(12);
            byte[] h = in.readNBytes(8);
            if (h.length < 8 || ((h[0] & 0xFF) | ((h[1] & 0xFF) << 8)) != 2) {
                in.reset();
                break;
            }
            int element = (h[2] & 0xFF) | ((h[3] & 0xFF) << 8);
            String vr = new String(h, 4, 2, StandardCharsets.US_ASCII);
            long len;
            boolean longForm = vr.equals("OB") || vr.equals("UN") || vr.equals("UT") || vr.equals("SQ") || vr.equals("OW");
            if (longForm) {
                byte[] l = in.readNBytes(4);
                if (l.length < 4) {
                    throw StorageException.invalidInput("truncated meta group");
                }
                len = (l[0] & 0xFFL) | ((l[1] & 0xFFL) << 8) | ((l[2] & 0xFFL) << 16) | ((l[3] & 0xFFL) << 24);
            } else {
                len = (h[6] & 0xFF) | ((h[7] & 0xFF) << 8);
            }
            if (len > 4096) {
                throw StorageException.invalidInput("meta group element of " + len + " bytes");
            }
            byte[] v = in.readNBytes((int) len);
            if (v.length < len) {
                throw StorageException.invalidInput("truncated meta group");
            }
            consumed += 8 + (longForm ? 4 : 0) + len;
            if (element == 0x0010) {
                ts = new String(v, StandardCharsets.US_ASCII).replace("\0", "").trim();
            }
        }
        return new StoredDataset(ts == null || ts.isEmpty() ? orDefault(catalogSyntax) : ts, in, consumed);
    }

    private static String orDefault(String ts) {
        return ts == null || ts.isEmpty() ? TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN : ts;
    }
}
