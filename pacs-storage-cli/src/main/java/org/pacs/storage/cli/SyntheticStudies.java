package org.pacs.storage.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.pacs.storage.StorageException;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomWriter;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.dicom.VR;

/**
 * Writes valid synthetic Part 10 instances: fresh 2.25 UIDs, plausible patient and study attributes, and 16-bit
 * MONOCHROME2 pixel data of the requested size. The header goes through {@link DicomWriter}; the Pixel Data
 * element is appended here in fixed-size chunks so a multi-gigabyte instance never sits in the heap.
 */
public final class SyntheticStudies {

    /** What one generated study holds, for the summary and for the demo's queries. */
    public record Study(String patientId, String patientName, String studyInstanceUid, String studyDate,
                        String modality, List<String> sopInstanceUids) {
    }

    public record Result(Path directory, List<Study> studies, long files, long bytes, long pixelBytesPerInstance) {
    }

    private static final String[] FAMILY = {"SMITH", "GARCIA", "MULLER", "KIM", "ROSSI", "NGUYEN", "DUBOIS",
        "TANAKA", "SILVA", "KOWALSKI", "JOHANSSON", "OKAFOR"};
    private static final String[] GIVEN = {"ANNA", "JOHN", "MARIA", "LUCAS", "SOFIA", "DAVID", "EMMA", "NOAH",
        "YUKI", "OMAR", "LENA", "PEDRO"};
    private static final String[][] PROTOCOLS = {
        {"CT", "1.2.840.10008.5.1.4.1.1.2", "CT CHEST W/O CONTRAST", "CHEST", "AXIAL 1.25MM"},
        {"CT", "1.2.840.10008.5.1.4.1.1.2", "CT ABDOMEN PELVIS W CONTRAST", "ABDOMEN", "PORTAL VENOUS"},
        {"MR", "1.2.840.10008.5.1.4.1.1.4", "MRI BRAIN W/WO CONTRAST", "HEAD", "AX T2 FLAIR"},
        {"MR", "1.2.840.10008.5.1.4.1.1.4", "MRI KNEE LEFT", "KNEE", "SAG PD FS"}};
    private static final int CHUNK = 64 * 1024;
    private static final int FRAME_SIDE = 512;

    private final Random random;

    public SyntheticStudies(long seed) {
        this.random = new Random(seed);
    }

    public static List<String> supportedTransferSyntaxes() {
        return List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
    }

    public Result generate(Path dir, int studies, int series, int instances, long pixelBytes, String ts) {
        if (!supportedTransferSyntaxes().contains(ts)) {
            throw new UsageException("Transfer syntax " + ts + " cannot be generated; accepted: "
                    + TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN + " (Explicit VR Little Endian, default), "
                    + TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN + " (Implicit VR Little Endian).");
        }
        int[] shape = shape(pixelBytes);
        long perInstance = 2L * shape[0] * shape[1] * shape[2];
        List<Study> out = new ArrayList<>();
        long files = 0;
        long bytes = 0;
        for (int s = 1; s <= studies; s++) {
            DicomDataset study = study();
            String[] protocol = PROTOCOLS[random.nextInt(PROTOCOLS.length)];
            List<String> uids = new ArrayList<>();
            for (int r = 1; r <= series; r++) {
                DicomDataset seriesDs = series(study, protocol, r);
                Path seriesDir = dir.resolve(String.format(Locale.ROOT, "study-%03d/series-%02d", s, r));
                for (int i = 1; i <= instances; i++) {
                    DicomDataset ds = instance(seriesDs, protocol, i, shape);
                    Path file = seriesDir.resolve(String.format(Locale.ROOT, "IM%06d.dcm", i));
                    bytes += write(ds, file, ts, perInstance, shape[1], i);
                    uids.add(ds.getString(Tag.SOPInstanceUID, ""));
                    files++;
                }
            }
            out.add(new Study(study.getString(Tag.PatientID, ""), study.getString(Tag.PatientName, ""),
                    study.getString(Tag.StudyInstanceUID, ""), study.getString(Tag.StudyDate, ""), protocol[0],
                    uids));
        }
        return new Result(dir, out, files, bytes, perInstance);
    }

    /**
     * Rows, columns, frames: exactly {@code bytes} (rounded to even) in one frame when it factors into a sane
     * image, otherwise 512x512 frames, rounded up to a whole frame.
     */
    static int[] shape(long bytes) {
        long pixels = Math.max(1, (bytes + 1) / 2);
        if (pixels <= 4096L * 4096) {
            for (long c = (long) Math.sqrt(pixels); c >= 1; c--) {
                if (pixels % c == 0 && pixels / c <= 65535 && (c >= 16 || pixels < 4096)) {
                    return new int[] {(int) (pixels / c), (int) c, 1};
                }
            }
        }
        long perFrame = (long) FRAME_SIDE * FRAME_SIDE;
        return new int[] {FRAME_SIDE, FRAME_SIDE, (int) Math.max(1, (pixels + perFrame - 1) / perFrame)};
    }

    private DicomDataset study() {
        DicomDataset d = new DicomDataset();
        LocalDate birth = LocalDate.of(1935, 1, 1).plusDays(random.nextInt(365 * 80));
        LocalDate date = LocalDate.now().minusDays(random.nextInt(3 * 365));
        d.set(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 192");
        d.set(Tag.PatientName, VR.PN, FAMILY[random.nextInt(FAMILY.length)] + "^"
                + GIVEN[random.nextInt(GIVEN.length)]);
        d.set(Tag.PatientID, VR.LO, String.format(Locale.ROOT, "PID%07d", random.nextInt(10_000_000)));
        d.set(Tag.PatientBirthDate, VR.DA, birth.format(DateTimeFormatter.BASIC_ISO_DATE));
        d.set(Tag.PatientSex, VR.CS, random.nextBoolean() ? "F" : "M");
        d.set(Tag.StudyInstanceUID, VR.UI, UidGenerator.newUid());
        d.set(Tag.StudyDate, VR.DA, date.format(DateTimeFormatter.BASIC_ISO_DATE));
        d.set(Tag.StudyTime, VR.TM, LocalTime.of(7 + random.nextInt(12), random.nextInt(60), random.nextInt(60))
                .format(DateTimeFormatter.ofPattern("HHmmss")));
        d.set(Tag.AccessionNumber, VR.SH, String.format(Locale.ROOT, "ACC%08d", random.nextInt(100_000_000)));
        d.set(Tag.StudyID, VR.SH, Integer.toString(1 + random.nextInt(9999)));
        d.set(Tag.ReferringPhysicianName, VR.PN, FAMILY[random.nextInt(FAMILY.length)] + "^"
                + GIVEN[random.nextInt(GIVEN.length)] + "^^DR");
        d.set(Tag.InstitutionName, VR.LO, "Synthetic General Hospital");
        return d;
    }

    private DicomDataset series(DicomDataset study, String[] protocol, int number) {
        DicomDataset d = study.copy();
        d.set(Tag.StudyDescription, VR.LO, protocol[2]);
        d.set(Tag.Modality, VR.CS, protocol[0]);
        d.set(Tag.BodyPartExamined, VR.CS, protocol[3]);
        d.set(Tag.SeriesInstanceUID, VR.UI, UidGenerator.newUid());
        d.set(Tag.SeriesNumber, VR.IS, Integer.toString(number));
        d.set(Tag.SeriesDescription, VR.LO, protocol[4] + (number > 1 ? " " + number : ""));
        d.set(Tag.SeriesDate, VR.DA, study.getString(Tag.StudyDate, ""));
        d.set(Tag.Manufacturer, VR.LO, "PACS-STORAGE SYNTHETIC");
        return d;
    }

    private DicomDataset instance(DicomDataset series, String[] protocol, int number, int[] shape) {
        DicomDataset d = series.copy();
        d.set(Tag.SOPClassUID, VR.UI, protocol[1]);
        d.set(Tag.SOPInstanceUID, VR.UI, UidGenerator.newUid());
        d.set(Tag.ImageType, VR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
        d.set(Tag.InstanceNumber, VR.IS, Integer.toString(number));
        d.set(Tag.ContentDate, VR.DA, series.getString(Tag.StudyDate, ""));
        d.setInt(Tag.SamplesPerPixel, VR.US, 1);
        d.set(Tag.PhotometricInterpretation, VR.CS, "MONOCHROME2");
        if (shape[2] > 1) {
            d.set(Tag.NumberOfFrames, VR.IS, Integer.toString(shape[2]));
        }
        d.setInt(Tag.Rows, VR.US, shape[0]);
        d.setInt(Tag.Columns, VR.US, shape[1]);
        d.setInt(Tag.BitsAllocated, VR.US, 16);
        d.setInt(Tag.BitsStored, VR.US, 12);
        d.setInt(Tag.HighBit, VR.US, 11);
        d.setInt(Tag.PixelRepresentation, VR.US, 0);
        return d;
    }

    /** Temp file then rename, so an interrupted run leaves no half-written instance behind. */
    private static long write(DicomDataset header, Path file, String ts, long pixelBytes, int columns, int seed) {
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), CHUNK)) {
                DicomWriter.write(header, out, ts);
                writePixelHeader(out, ts, pixelBytes);
                writePixels(out, pixelBytes, columns, seed);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return Files.size(file);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw StorageException.unavailable("Cannot write " + file + ": " + e.getMessage()
                    + "; check the disk space and permissions of the output directory.", e);
        }
    }

    private static void deleteQuietly(Path tmp) {
        try {
            Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
            // The original failure is what the user needs to see.
        }
    }

    private static void writePixelHeader(OutputStream out, String ts, long length) throws IOException {
        if (length > 0xFFFFFFFEL) {
            throw new UsageException("Pixel data of " + length + " bytes exceeds the 4 GiB a DICOM element can"
                    + " hold; ask for less with --bytes.");
        }
        out.write(new byte[] {(byte) 0xE0, 0x7F, 0x10, 0x00});
        if (ts.equals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)) {
            out.write(new byte[] {'O', 'W', 0, 0});
        }
        out.write(new byte[] {(byte) length, (byte) (length >>> 8), (byte) (length >>> 16), (byte) (length >>> 24)});
    }

    /** A diagonal 12-bit ramp: cheap to compute, visibly an image, and different per instance. */
    private static void writePixels(OutputStream out, long length, int columns, int seed) throws IOException {
        byte[] buf = new byte[CHUNK];
        long pixel = 0;
        long written = 0;
        while (written < length) {
            int n = (int) Math.min(buf.length, length - written);
            for (int i = 0; i < n; i += 2) {
                long x = pixel % columns;
                long y = pixel / columns;
                int v = (int) ((x + y + seed * 37L) & 0x0FFF);
                buf[i] = (byte) v;
                buf[i + 1] = (byte) (v >>> 8);
                pixel++;
            }
            out.write(buf, 0, n);
            written += n;
        }
    }
}
