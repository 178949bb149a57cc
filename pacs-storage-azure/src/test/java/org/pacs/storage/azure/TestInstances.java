package org.pacs.storage.azure;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomWriter;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.dicom.UidGenerator;

/** Synthetic instances: small in-memory datasets, and Part 10 streams of any size generated on the fly. */
final class TestInstances {

    static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";

    private TestInstances() {
    }

    static DicomDataset dataset(String study, String series, String sop, String patientName) {
        return new DicomDataset()
                .setString(Tag.SOPClassUID, CT_IMAGE_STORAGE)
                .setString(Tag.SOPInstanceUID, sop)
                .setString(Tag.StudyInstanceUID, study)
                .setString(Tag.SeriesInstanceUID, series)
                .setString(Tag.PatientName, patientName)
                .setString(Tag.PatientID, "PID-" + patientName.hashCode())
                .setString(Tag.Modality, "CT");
    }

    static DicomDataset dataset(String patientName) {
        return dataset(UidGenerator.newUid(), UidGenerator.newUid(), UidGenerator.newUid(), patientName);
    }

    /**
     * A Part 10 stream of the dataset's header followed by {@code pixelBytes} of seeded random Pixel Data (OW),
     * produced as it is read: nothing of that size is ever in the heap.
     */
    static GeneratedStream large(DicomDataset header, long pixelBytes, long seed) {
        if (pixelBytes % 2 != 0 || pixelBytes > 0xFFFFFFFEL) {
            throw new IllegalArgumentException("OW Pixel Data needs an even length below 4 GiB");
        }
        byte[] head = DicomWriter.toBytes(header, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        ByteBuffer el = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        el.putShort((short) 0x7FE0).putShort((short) 0x0010).put((byte) 'O').put((byte) 'W').putShort((short) 0)
                .putInt((int) pixelBytes);
        return new GeneratedStream(head, el.array(), pixelBytes, seed);
    }

    /** Also computes the SHA-256 of everything it hands out, to compare with what comes back. */
    static final class GeneratedStream extends InputStream {
        private final InputStream prefix;
        private final SplittableRandom random;
        private final MessageDigest md = sha256();
        private final long total;
        private long pixelsLeft;

        GeneratedStream(byte[] head, byte[] element, long pixelBytes, long seed) {
            this.prefix = new SequenceInputStream(new ByteArrayInputStream(head), new ByteArrayInputStream(element));
            this.random = new SplittableRandom(seed);
            this.pixelsLeft = pixelBytes;
            this.total = head.length + element.length + pixelBytes;
        }

        long size() {
            return total;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = prefix.read(b, off, len);
            if (n < 0) {
                if (pixelsLeft == 0) {
                    return -1;
                }
                n = (int) Math.min(len, pixelsLeft);
                for (int i = 0; i < n; i++) {
                    b[off + i] = (byte) random.nextInt(256);
                }
                pixelsLeft -= n;
            }
            md.update(b, off, n);
            return n;
        }

        /** Valid once the stream was read to its end. */
        String sha256Hex() {
            return HexFormat.of().formatHex(md.digest());
        }
    }

    static String sha256(InputStream in) throws IOException {
        MessageDigest md = sha256();
        try (in) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
