package org.pacs.storage.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.StorageException;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomWriter;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.dicom.VR;

class InstanceSpoolerTest {

    private static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    @TempDir
    Path dir;

    static DicomDataset dataset(String sop, int pixelBytes) {
        return new DicomDataset().set(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7")
                .set(Tag.SOPInstanceUID, VR.UI, sop).set(Tag.StudyInstanceUID, VR.UI, "1.2.3")
                .set(Tag.SeriesInstanceUID, VR.UI, "1.2.3.4").set(Tag.PatientID, VR.LO, "P1")
                .set(Tag.PatientName, VR.PN, "Doe^John").set(Tag.Modality, VR.CS, "OT")
                .setBytes(Tag.PixelData, VR.OW, new byte[pixelBytes]);
    }

    private Path spoolDir() {
        return dir.resolve("spool");
    }

    private List<Path> spoolFiles() throws IOException {
        if (!Files.isDirectory(spoolDir())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(spoolDir())) {
            return s.toList();
        }
    }

    private static String sha(byte[] b) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void streamIsSpooledHashedAndDescribedThenDeletedOnClose() throws Exception {
        byte[] bytes = DicomWriter.toBytes(dataset("1.2.3.4.5", 1000), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        InstanceSpooler spooler = new InstanceSpooler(spoolDir());
        Path spooled;
        try (SpooledInstance s = spooler.spool(new ByteArrayInputStream(bytes))) {
            spooled = s.path();
            assertThat(s.isTemporary()).isTrue();
            assertThat(Files.readAllBytes(spooled)).isEqualTo(bytes);
            assertThat(s.instance().sha256()).isEqualTo(sha(bytes));
            assertThat(s.instance().sizeBytes()).isEqualTo(bytes.length);
            assertThat(s.instance().sopInstanceUid().value()).isEqualTo("1.2.3.4.5");
            assertThat(s.instance().studyInstanceUid()).isEqualTo("1.2.3");
            assertThat(s.instance().transferSyntaxUid()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            assertThat(s.attributes().getString(Tag.PatientName, "")).isEqualTo("Doe^John");
            assertThat(s.attributes().contains(Tag.PixelData)).isFalse();
        }
        assertThat(spooled).doesNotExist();
    }

    @Test
    void callersFileIsReadInPlaceAndNeverDeleted() throws Exception {
        Path f = dir.resolve("in.dcm");
        Files.write(f, DicomWriter.toBytes(dataset("1.2.3.4.6", 10), TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN));
        try (SpooledInstance s = new InstanceSpooler(spoolDir()).spool(f)) {
            assertThat(s.path()).isEqualTo(f);
            assertThat(s.claim()).isFalse();
            assertThat(s.instance().transferSyntaxUid()).isEqualTo(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);
        }
        assertThat(f).exists();
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void claimedSpoolFileSurvivesClose() {
        SpooledInstance s = new InstanceSpooler(spoolDir()).spool(dataset("1.2.3.4.7", 2));
        assertThat(s.claim()).isTrue();
        s.close();
        assertThat(s.path()).exists();
    }

    @Test
    void badInputIsInvalidAndLeavesNoSpoolFile() throws Exception {
        InstanceSpooler spooler = new InstanceSpooler(spoolDir());
        byte[] good = DicomWriter.toBytes(dataset("1.2.3.4.8", 4000), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        List<byte[]> bad = List.of(
                "this is not DICOM at all, just text".getBytes(),
                new byte[0],
                Arrays.copyOf(good, good.length - 100),  // cut inside Pixel Data: header mode alone would pass
                Arrays.copyOf(good, 200),
                DicomWriter.toBytes(dataset("1.2.3.4.8", 4).set(Tag.SeriesInstanceUID, VR.UI, "../../etc"),
                        TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN));
        for (byte[] b : bad) {
            assertThatThrownBy(() -> spooler.spool(new ByteArrayInputStream(b)).close())
                    .isInstanceOfSatisfying(StorageException.class,
                            e -> assertThat(e.reason()).isEqualTo(StorageException.Reason.INVALID_INPUT));
        }
        assertThatThrownBy(() -> spooler.spool(dataset("1.2.3.4.9", 2).remove(Tag.SOPInstanceUID)))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(StorageException.Reason.INVALID_INPUT);
                    assertThat(e.getMessage()).contains("SOP Instance UID").contains("set one");
                });
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void failingSourceIsUnavailableAndLeavesNoSpoolFile() throws Exception {
        InputStream failing = new InputStream() {
            private int n;

            @Override
            public int read() throws IOException {
                if (n++ > 1000) {
                    throw new IOException("connection reset");
                }
                return 0;
            }
        };
        assertThatThrownBy(() -> new InstanceSpooler(spoolDir()).spool(failing))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.reason()).isEqualTo(StorageException.Reason.UNAVAILABLE));
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void pydicomSamplesSpoolWithTheirOwnHash() throws Exception {
        assumeTrue(Files.isDirectory(PYDICOM), "pydicom samples absent (install python3-pydicom)");
        InstanceSpooler spooler = new InstanceSpooler(spoolDir());
        int ok = 0;
        for (String name : List.of("CT_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm",
                "image_dfl.dcm", "JPEG2000.dcm", "MR_small_RLE.dcm")) {
            byte[] b = Files.readAllBytes(PYDICOM.resolve(name));
            try (SpooledInstance s = spooler.spool(new ByteArrayInputStream(b));
                 SpooledInstance p = spooler.spool(PYDICOM.resolve(name))) {
                assertThat(s.instance().sha256()).as(name).isEqualTo(sha(b)).isEqualTo(p.instance().sha256());
                ok++;
            }
        }
        assertThat(ok).isEqualTo(6);
        // Cut inside Pixel Data, in each encoding the check reads: encapsulated, implicit, big endian.
        for (String name : List.of("JPEG2000.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm")) {
            byte[] b = Files.readAllBytes(PYDICOM.resolve(name));
            byte[] cut = Arrays.copyOf(b, b.length - 100);
            assertThatThrownBy(() -> spooler.spool(new ByteArrayInputStream(cut)))
                    .as(name + " truncated")
                    .isInstanceOfSatisfying(StorageException.class,
                            e -> assertThat(e.reason()).isEqualTo(StorageException.Reason.INVALID_INPUT));
        }
        assertThatThrownBy(() -> spooler.spool(PYDICOM.resolve("MR_truncated.dcm")))
                .isInstanceOf(StorageException.class);
    }

    /** A stream that hands out at most {@code chunk} bytes per read, as a socket does. */
    private static InputStream trickle(byte[] bytes, int chunk) {
        return new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    @Test
    void aHeaderLongerThanTheBytesKeptInMemoryIsReadOnFromTheSpoolFile() throws Exception {
        // (0028,2000) ICC Profile of 200 KB before Pixel Data: the header ends far past the kept first bytes
        DicomDataset d = dataset("1.2.3.4.20", 3000).setBytes(0x00282000, VR.OB, new byte[200_000]);
        byte[] bytes = DicomWriter.toBytes(d, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        InstanceSpooler spooler = new InstanceSpooler(spoolDir());
        for (InputStream in : List.of(new ByteArrayInputStream(bytes), trickle(bytes, 1000))) {
            try (SpooledInstance s = spooler.spool(in)) {
                assertThat(s.headerLength()).isGreaterThan(InstanceSpooler.HEAD_BYTES);
                assertThat(s.headerLength()).isEqualTo(bytes.length - 3000 - 12L);
                assertThat(s.instance().sopInstanceUid().value()).isEqualTo("1.2.3.4.20");
                assertThat(s.instance().sha256()).isEqualTo(sha(bytes));
                assertThat(Files.readAllBytes(s.path())).isEqualTo(bytes);
            }
        }
        // and one whose Pixel Data is cut off past the kept bytes is still refused, its spool file removed
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 10);
        assertThatThrownBy(() -> spooler.spool(new ByteArrayInputStream(cut))).isInstanceOf(StorageException.class)
                .hasMessageContaining("Pixel Data");
        assertThat(spoolFiles()).isEmpty();
    }

    @Test
    void aStreamArrivingInSmallPiecesIsDescribedFromTheBytesKeptInMemory() throws Exception {
        byte[] bytes = DicomWriter.toBytes(dataset("1.2.3.4.21", 5000), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        try (SpooledInstance s = new InstanceSpooler(spoolDir()).spool(trickle(bytes, 7))) {
            assertThat(s.instance().sopInstanceUid().value()).isEqualTo("1.2.3.4.21");
            assertThat(s.attributes().getString(Tag.PatientName, "")).isEqualTo("Doe^John");
            assertThat(s.headerLength()).isEqualTo(bytes.length - 5000 - 12L);
            assertThat(s.storedHeader()).isPresent();
        }
    }

    @Test
    void aSpoolerAskedToForceSaysWhichSpoolFilesItForced() throws Exception {
        byte[] bytes = DicomWriter.toBytes(dataset("1.2.3.4.22", 100), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        Path f = dir.resolve("own.dcm");
        Files.write(f, bytes);
        InstanceSpooler forcing = new InstanceSpooler(spoolDir(), java.time.Clock.systemUTC(), true);
        try (SpooledInstance fromStream = forcing.spool(new ByteArrayInputStream(bytes));
             SpooledInstance copied = forcing.spoolCopy(f);
             SpooledInstance fromDataset = forcing.spool(dataset("1.2.3.4.23", 100));
             SpooledInstance inPlace = forcing.spool(f);
             SpooledInstance notAsked = new InstanceSpooler(spoolDir()).spool(new ByteArrayInputStream(bytes))) {
            assertThat(List.of(fromStream.forced(), copied.forced(), fromDataset.forced())).containsOnly(true);
            assertThat(inPlace.forced()).as("the caller's own file is only read, never forced").isFalse();
            assertThat(notAsked.forced()).isFalse();
        }
    }
}
