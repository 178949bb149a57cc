package org.pacs.storage.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.PixelLayout;
import org.pacs.storage.StoredHeader;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.DicomWriter;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.dicom.VR;

/** What the spooler keeps of each header for the catalog: the stored bytes up to Pixel Data and the frame layout. */
class HeaderCaptureTest {

    private static final Path PYDICOM = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files");

    @TempDir
    Path dir;

    @Test
    void nativeInstanceKeepsItsBytesUpToThePixelValueAndWhereTheValueLies() throws Exception {
        byte[] bytes = DicomWriter.toBytes(InstanceSpoolerTest.dataset("1.2.3.9.1", 10_000),
                TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        try (SpooledInstance s = new InstanceSpooler(dir).spool(new ByteArrayInputStream(bytes))) {
            StoredHeader h = s.storedHeader().orElseThrow();
            long valueOffset = bytes.length - 10_000;
            assertThat(h.part10()).isEqualTo(Arrays.copyOf(bytes, (int) valueOffset)); // 12-byte element header included
            assertThat(h.pixels()).isEqualTo(PixelLayout.nativeValue(valueOffset, 10_000));
            // the kept bytes read back as the header of the stored instance
            DicomFile kept = DicomReader.readHeader(new java.io.BufferedInputStream(new ByteArrayInputStream(h.part10())));
            assertThat(kept.dataset()).isEqualTo(DicomReader.readHeader(new ByteArrayInputStream(bytes)).dataset());
        }
    }

    @Test
    void encapsulatedInstanceKeepsEveryFragmentAsTheBytesHoldIt() throws Exception {
        Path sample = PYDICOM.resolve("SC_rgb_rle_2frame.dcm");
        assumeTrue(Files.isRegularFile(sample), "python3-pydicom's samples are not installed");
        byte[] bytes = Files.readAllBytes(sample);
        try (SpooledInstance s = new InstanceSpooler(dir).spool(sample)) {
            PixelLayout p = s.storedHeader().orElseThrow().pixels();
            assertThat(p.encapsulated()).isTrue();
            assertThat(p.fragments()).isEqualTo(2);
            // each fragment's value is preceded by its item header (FFFE,E000) and its length, as recorded
            for (int i = 0; i < p.fragments(); i++) {
                int at = (int) p.fragmentOffset(i);
                assertThat(Arrays.copyOfRange(bytes, at - 8, at - 4)).containsExactly(0xFE, 0xFF, 0x00, 0xE0);
                long len = java.nio.ByteBuffer.wrap(bytes, at - 4, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt()
                        & 0xFFFFFFFFL;
                assertThat(len).isEqualTo(p.fragmentLength(i));
            }
            int end = (int) (p.fragmentOffset(1) + p.fragmentLength(1));
            assertThat(Arrays.copyOfRange(bytes, end, end + 4)).containsExactly(0xFE, 0xFF, 0xDD, 0xE0);
        }
    }

    @Test
    void largeBinaryValuesAreLeftOutAndTheRestReadsAsStored() throws Exception {
        DicomDataset d = InstanceSpoolerTest.dataset("1.2.3.9.3", 100);
        d.set(0x00090010, VR.LO, "TEST CREATOR");
        d.setBytes(0x00091010, VR.OB, new byte[StoredHeader.MAX_HEADER_BYTES]); // over the cap, but elided
        d.setBytes(0x00091011, VR.OB, new byte[StoredHeader.ELIDE_OVER]); // not over the threshold: kept
        d.setItems(0x00081115, java.util.List.of(new DicomDataset().setBytes(0x00091012, VR.OB, new byte[4000])));
        byte[] bytes = DicomWriter.toBytes(d, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        try (SpooledInstance s = new InstanceSpooler(dir).spool(new ByteArrayInputStream(bytes))) {
            StoredHeader h = s.storedHeader().orElseThrow();
            assertThat(h.elided()).containsExactly(new StoredHeader.Elided(0x00091010, VR.OB,
                    StoredHeader.MAX_HEADER_BYTES));
            assertThat(h.part10().length).isEqualTo(bytes.length - 100 - StoredHeader.MAX_HEADER_BYTES);
            assertThat(h.pixels().valueOffset()).as("offsets are the stored instance's").isEqualTo(bytes.length - 100);
            DicomDataset kept = DicomReader.readHeader(new java.io.BufferedInputStream(
                    new ByteArrayInputStream(h.part10()))).dataset();
            DicomDataset expected = DicomReader.readHeader(new ByteArrayInputStream(bytes)).dataset();
            assertThat(kept.get(0x00091010).orElseThrow().bytes()).isEmpty();
            assertThat(kept.copy().remove(0x00091010)).isEqualTo(expected.copy().remove(0x00091010));
        }
    }

    @Test
    void aHeaderOverTheCapOrADeflatedDataSetIsNotKept() throws Exception {
        DicomDataset big = InstanceSpoolerTest.dataset("1.2.3.9.2", 100)
                .set(0x00090010, VR.LO, "TEST CREATOR")
                .set(0x00091020, VR.UT, "x".repeat(StoredHeader.MAX_HEADER_BYTES)); // text: never elided
        byte[] bytes = DicomWriter.toBytes(big, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        try (SpooledInstance s = new InstanceSpooler(dir).spool(new ByteArrayInputStream(bytes))) {
            assertThat(s.storedHeader()).isEmpty();
        }
        Path deflated = PYDICOM.resolve("image_dfl.dcm");
        assumeTrue(Files.isRegularFile(deflated), "python3-pydicom's samples are not installed");
        try (SpooledInstance s = new InstanceSpooler(dir).spool(deflated)) {
            assertThat(s.instance().transferSyntaxUid()).isEqualTo(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN);
            assertThat(s.storedHeader()).isEmpty();
        }
    }

    @Test
    void ofRangesKeepsWhatIngestKeeps() throws Exception {
        Path sample = PYDICOM.resolve("SC_rgb_rle_2frame.dcm");
        assumeTrue(Files.isRegularFile(sample), "python3-pydicom's samples are not installed");
        byte[] bytes = Files.readAllBytes(sample);
        StoredHeader atIngest;
        try (SpooledInstance s = new InstanceSpooler(dir).spool(sample)) {
            atIngest = s.storedHeader().orElseThrow();
        }
        StoredHeader rebuilt = HeaderCapture.ofRanges((offset, length) -> new ByteArrayInputStream(bytes,
                (int) offset, (int) Math.min(length, bytes.length - offset)), bytes.length).orElseThrow();
        assertThat(rebuilt).isEqualTo(atIngest);
        DicomFile header = DicomReader.readHeader(new java.io.BufferedInputStream(new ByteArrayInputStream(bytes)));
        byte[] prefix = Arrays.copyOf(bytes, (int) header.headerLength() + 16);
        StoredHeader fromPrefix = HeaderCapture.ofPrefix(prefix, header, bytes.length).orElseThrow();
        assertThat(fromPrefix.part10()).isEqualTo(atIngest.part10());
        assertThat(fromPrefix.pixels()).as("fragments are not walked from a prefix").isNull();
    }
}
