package org.pacs.storage.testkit;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomWriter;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.dicom.VR;

/**
 * Valid Part 10 instances of any size, produced as a stream: the header comes from {@link DicomWriter}, the
 * Pixel Data element header is written by hand and its value is generated chunk by chunk from a seed, so a
 * 2 GiB instance needs 64 KiB of heap and the same seed always gives the same bytes.
 */
public final class SyntheticInstances {

    public static final String SECONDARY_CAPTURE = "1.2.840.10008.5.1.4.1.1.7";

    private SyntheticInstances() {
    }

    /** A header with fresh UIDs and plausible patient, study and series attributes; no Pixel Data. */
    public static DicomDataset header() {
        return header("PID-" + Long.toHexString(System.nanoTime()), "Test^Patient", UidGenerator.newUid(),
                UidGenerator.newUid(), UidGenerator.newUid(), "OT", "20240101");
    }

    public static DicomDataset header(String patientId, String patientName, String studyUid, String seriesUid,
                                      String sopUid, String modality, String studyDate) {
        DicomDataset d = new DicomDataset();
        d.set(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        d.set(Tag.SOPClassUID, VR.UI, SECONDARY_CAPTURE);
        d.set(Tag.SOPInstanceUID, VR.UI, sopUid);
        d.set(Tag.StudyDate, VR.DA, studyDate);
        d.set(Tag.StudyTime, VR.TM, "101500");
        d.set(Tag.AccessionNumber, VR.SH, "ACC-" + Math.abs(studyUid.hashCode() % 100000));
        d.set(Tag.Modality, VR.CS, modality);
        d.set(Tag.PatientName, VR.PN, patientName);
        d.set(Tag.PatientID, VR.LO, patientId);
        d.set(Tag.PatientBirthDate, VR.DA, "19700101");
        d.set(Tag.PatientSex, VR.CS, "O");
        d.set(Tag.StudyInstanceUID, VR.UI, studyUid);
        d.set(Tag.SeriesInstanceUID, VR.UI, seriesUid);
        d.set(Tag.StudyID, VR.SH, "1");
        d.set(Tag.SeriesNumber, VR.IS, "1");
        d.set(Tag.InstanceNumber, VR.IS, "1");
        d.setInt(Tag.SamplesPerPixel, VR.US, 1);
        d.set(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        d.setInt(Tag.BitsAllocated, VR.US, 8);
        d.setInt(Tag.BitsStored, VR.US, 8);
        d.setInt(Tag.HighBit, VR.US, 7);
        d.setInt(Tag.PixelRepresentation, VR.US, 0);
        return d;
    }

    /**
     * An in-memory dataset with {@code pixelBytes} (rounded up to even) of seeded Pixel Data, for small
     * instances. OW, the VR an implicit-VR reader assigns, so the dataset reads back equal in either syntax.
     */
    public static DicomDataset dataset(DicomDataset header, int pixelBytes, long seed) {
        pixelBytes += pixelBytes & 1;
        DicomDataset d = header.copy();
        sizeImage(d, pixelBytes);
        byte[] px = new byte[pixelBytes];
        new PixelGenerator(seed).fill(px, 0, px.length);
        d.setBytes(Tag.PixelData, VR.OW, px);
        return d;
    }

    /** The Part 10 bytes: Explicit VR Little Endian, header then {@code pixelBytes} of seeded Pixel Data. */
    public static InputStream stream(DicomDataset header, long pixelBytes, long seed) {
        if (pixelBytes < 0 || pixelBytes > 0xFFFFFFFEL || (pixelBytes & 1) != 0) {
            throw new IllegalArgumentException("pixelBytes must be even and below 4 GiB: " + pixelBytes);
        }
        DicomDataset d = header.copy();
        d.remove(Tag.PixelData);
        sizeImage(d, pixelBytes);
        byte[] head = DicomWriter.toBytes(d, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        // Pixel Data, OW, reserved, 32-bit length: written by hand because the value is never in memory.
        ByteBuffer el = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        el.putShort((short) 0x7FE0).putShort((short) 0x0010).put((byte) 'O').put((byte) 'W').putShort((short) 0)
                .putInt((int) pixelBytes);
        InputStream prefix = new SequenceInputStream(new ByteArrayInputStream(head), new ByteArrayInputStream(el.array()));
        return new SequenceInputStream(prefix, new PixelStream(seed, pixelBytes));
    }

    public static byte[] bytes(DicomDataset header, int pixelBytes, long seed) {
        try (InputStream in = stream(header, pixelBytes, seed)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the instance to {@code file}; returns the number of bytes written. */
    public static long write(Path file, DicomDataset header, long pixelBytes, long seed) {
        try (InputStream in = stream(header, pixelBytes, seed); OutputStream out = Files.newOutputStream(file)) {
            return in.transferTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sizeImage(DicomDataset d, long pixelBytes) {
        // Rows x Columns x 1 byte should describe the pixels; a single row keeps any even size consistent.
        int columns = (int) Math.min(pixelBytes, 65534);
        int rows = columns == 0 ? 0 : (int) Math.min(pixelBytes / columns, 65535);
        d.setInt(Tag.Rows, VR.US, rows);
        d.setInt(Tag.Columns, VR.US, columns);
    }

    /** xorshift64*: fast, seedable, and incompressible enough that no layer can shortcut the bytes. */
    static final class PixelGenerator {
        private long state;

        PixelGenerator(long seed) {
            state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
        }

        void fill(byte[] b, int off, int len) {
            int i = off;
            int end = off + len;
            while (i < end) {
                state ^= state >>> 12;
                state ^= state << 25;
                state ^= state >>> 27;
                long v = state * 0x2545F4914F6CDD1DL;
                for (int k = 0; k < 8 && i < end; k++) {
                    b[i++] = (byte) (v >>> (k * 8));
                }
            }
        }
    }

    private static final class PixelStream extends InputStream {
        private final PixelGenerator gen;
        private final byte[] chunk = new byte[64 * 1024];
        private long remaining;
        private int pos = chunk.length;

        PixelStream(long seed, long length) {
            this.gen = new PixelGenerator(seed);
            this.remaining = length;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            if (pos == chunk.length) {
                gen.fill(chunk, 0, chunk.length);
                pos = 0;
            }
            int n = (int) Math.min(Math.min(len, chunk.length - pos), remaining);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            remaining -= n;
            return n;
        }
    }
}
