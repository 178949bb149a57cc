package org.pacs.storage.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.StorageException;

/** Each kind of bad input ends in a DicomParseException (INVALID_INPUT) naming the byte offset and the tag. */
class DicomMalformedInputTest {

    @TempDir
    Path tmp;

    private static byte[] valid() {
        return DicomWriter.toBytes(Samples.ct(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** Offset of the first occurrence of an explicit VR LE element header for tag. */
    private static int offsetOf(byte[] b, int tag) {
        byte[] t = {(byte) (tag >>> 16), (byte) (tag >>> 24), (byte) tag, (byte) (tag >>> 8)};
        for (int i = 132; i + 4 <= b.length; i++) {
            if (Arrays.equals(b, i, i + 4, t, 0, 4)) {
                return i;
            }
        }
        throw new AssertionError("tag not found");
    }

    private DicomParseException failsEverywhere(byte[] bytes) throws Exception {
        Path p = tmp.resolve("bad.dcm");
        Files.write(p, bytes);
        DicomParseException fromPath = catchParse(() -> DicomReader.read(p));
        DicomParseException fromStream = catchParse(() -> DicomReader.read(new ByteArrayInputStream(bytes)));
        catchParse(() -> DicomReader.readHeader(new ByteArrayInputStream(bytes)));
        catchParse(() -> DicomReader.readHeader(p));
        assertThat(fromStream.tag()).isEqualTo(fromPath.tag());
        assertThat(fromPath.reason()).isEqualTo(StorageException.Reason.INVALID_INPUT);
        assertThat(fromPath.getMessage()).contains("byte offset " + fromPath.offset());
        return fromPath;
    }

    private static DicomParseException catchParse(Runnable r) {
        try {
            r.run();
        } catch (DicomParseException e) {
            return e;
        }
        throw new AssertionError("expected a DicomParseException");
    }

    @Test
    void truncatedInsideAValue() throws Exception {
        byte[] b = valid();
        int at = offsetOf(b, Tag.PatientID);
        DicomParseException e = failsEverywhere(Arrays.copyOf(b, at + 8 + 3));
        assertThat(e.tag()).isEqualTo(Tag.PatientID);
        assertThat(e.getMessage()).contains("(0010,0020)");
    }

    @Test
    void truncatedInsideATag() throws Exception {
        byte[] b = valid();
        DicomParseException e = failsEverywhere(Arrays.copyOf(b, offsetOf(b, Tag.PatientID) + 2));
        assertThat(e.offset()).isEqualTo(offsetOf(b, Tag.PatientID));
        assertThat(e.getMessage()).contains("unexpected end of data");
    }

    @Test
    void valueLengthPastEndOfFile() throws Exception {
        byte[] b = valid();
        int at = offsetOf(b, Tag.PatientID);
        b[at + 6] = 0x00;
        b[at + 7] = 0x70; // 28672 bytes claimed
        DicomParseException e = failsEverywhere(b);
        assertThat(e.tag()).isEqualTo(Tag.PatientID);
        assertThat(e.offset()).isEqualTo(at + 8);
    }

    @Test
    void fourGigabyteLengthInAOneKilobyteFile() throws Exception {
        byte[] b = valid();
        byte[] head = Arrays.copyOf(b, offsetOf(b, Tag.SOPClassUID));
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(head);
        RawElements.tag(file, 0x00091010);
        file.writeBytes(new byte[] {'O', 'B', 0, 0});
        RawElements.le32(file, 0xFFFFFFF0L);
        file.writeBytes(new byte[1024 - file.size()]);
        DicomParseException e = failsEverywhere(file.toByteArray());
        assertThat(e.tag()).isEqualTo(0x00091010);
        assertThat(e.getMessage()).contains("4294967280");
    }

    @Test
    void oddLengthThatBreaksTheElementStructure() throws Exception {
        byte[] b = valid();
        int at = offsetOf(b, Tag.PatientID);
        b[at + 6]--; // "PID-0001" (8) becomes 7: the next tag starts one byte early
        DicomParseException e = failsEverywhere(b);
        assertThat(e.offset()).isGreaterThan(at);
    }

    @Test
    void consistentOddLengthIsToleratedAsDcmtkDoes() {
        // Seven pydicom samples have odd Pixel Data or private lengths and DCMTK reads them: so do we.
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        RawElements.explicitLe(b, Tag.SOPInstanceUID, "UI", "1.2.3".getBytes(StandardCharsets.US_ASCII));
        RawElements.explicitLe(b, Tag.PixelData, "OB", new byte[] {1, 2, 3});
        DicomFile f = DicomReader.read(new ByteArrayInputStream(b.toByteArray()));
        assertThat(f.dataset().getUid(Tag.SOPInstanceUID)).contains("1.2.3");
        assertThat(f.dataset().get(Tag.PixelData).orElseThrow().bytes()).containsExactly(1, 2, 3);
    }

    @Test
    void nonDicomInputs() throws Exception {
        Function<byte[], DicomParseException> check = bytes -> {
            try {
                return failsEverywhere(bytes);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        assertThat(check.apply("<?xml version=\"1.0\"?><not-dicom/>".repeat(10).getBytes(StandardCharsets.UTF_8))
                .getMessage()).contains("not DICOM");
        assertThat(check.apply(new byte[1024]).getMessage()).contains("not DICOM");
        assertThat(check.apply(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13}).getMessage())
                .contains("not DICOM");
        assertThat(check.apply(new byte[0]).getMessage()).contains("not DICOM");
    }

    @Test
    void missingSopInstanceUidIsReportedOnRequest() {
        DicomDataset ds = Samples.ct();
        byte[] bytes = DicomWriter.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        DicomFile f = DicomReader.read(new ByteArrayInputStream(bytes));
        DicomFile withoutUid = new DicomFile(new DicomDataset(), f.dataset().copy().remove(Tag.SOPInstanceUID),
                f.transferSyntaxUid(), f.headerLength());
        assertThatThrownBy(() -> DicomReader.requireSopInstanceUid(withoutUid))
                .isInstanceOf(DicomParseException.class).hasMessageContaining("(0008,0018)")
                .hasMessageContaining("SOP Instance UID is missing");
    }

    @Test
    void nestingDeeperThanTheLimit() throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(Arrays.copyOf(valid(), offsetOf(valid(), Tag.SOPClassUID)));
        int depth = 200;
        for (int i = 0; i < depth; i++) {
            RawElements.tag(b, 0x00081115);
            b.writeBytes(new byte[] {'S', 'Q', 0, 0});
            RawElements.le32(b, 0xFFFFFFFFL);
            RawElements.tag(b, Tag.Item);
            RawElements.le32(b, 0xFFFFFFFFL);
        }
        DicomParseException e = failsEverywhere(b.toByteArray());
        assertThat(e.getMessage()).contains("nested deeper than " + DicomParser.MAX_DEPTH);
        assertThat(e.tag()).isEqualTo(0x00081115);
    }

    @Test
    void invalidVrAndStrayItemTags() throws Exception {
        byte[] b = valid();
        int at = offsetOf(b, Tag.PatientID);
        b[at + 4] = 0x01;
        assertThat(failsEverywhere(b).getMessage()).contains("invalid VR bytes 0x01");
        byte[] c = valid();
        int seq = offsetOf(c, 0x00081115);
        c[seq + 12 + 2] = 0x0D; // the first item tag becomes an Item Delimitation Item
        assertThat(failsEverywhere(c).getMessage()).contains("expected an item tag");
    }

    @Test
    void corruptDeflateStream() throws Exception {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.writeBytes(new byte[128]);
        f.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        RawElements.explicitLe(f, Tag.TransferSyntaxUID, "UI",
                TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.getBytes(StandardCharsets.US_ASCII));
        f.writeBytes(new byte[] {(byte) 0xFF, (byte) 0xFF, 0x12, 0x34, 0x56, 0x78, 0x00, 0x11});
        assertThat(failsEverywhere(f.toByteArray()).getMessage()).contains("deflated data set is corrupt");
    }
}
