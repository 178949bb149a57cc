package org.pacs.storage.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VRs that Implicit VR reading takes from the dictionary: ambiguous ones, repeating groups, private and unknown. */
class ImplicitVrReadingTest {

    private static final int ZERO_VELOCITY_PIXEL_VALUE = 0x00189810;
    private static final int SMALLEST_IMAGE_PIXEL_VALUE = 0x00280106;
    private static final int MODALITY_LUT_SEQUENCE = 0x00283000;
    private static final int LUT_DESCRIPTOR = 0x00283002;
    private static final int LUT_DATA = 0x00283006;
    private static final int ICON_IMAGE_SEQUENCE = 0x00880200;

    @TempDir
    Path tmp;

    /** Pixel values whose VR is "US or SS", before and after Pixel Representation, in items that inherit it. */
    private static byte[] pixelValues(int pixelRepresentation) {
        ByteArrayOutputStream lut = new ByteArrayOutputStream();
        RawElements.implicitLe(lut, LUT_DESCRIPTOR, RawElements.us(2, 0xFFFF, 16));
        RawElements.implicitLe(lut, LUT_DATA, RawElements.us(1, 2));
        ByteArrayOutputStream icon = new ByteArrayOutputStream();
        RawElements.implicitLe(icon, Tag.PixelRepresentation, RawElements.us(0));
        RawElements.implicitLe(icon, SMALLEST_IMAGE_PIXEL_VALUE, RawElements.us(0xFFFE));
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        RawElements.implicitLe(b, Tag.SOPInstanceUID, "1.2.3.4".getBytes(StandardCharsets.US_ASCII));
        RawElements.implicitLe(b, ZERO_VELOCITY_PIXEL_VALUE, RawElements.us(0xFFFF)); // before (0028,0103)
        RawElements.implicitLe(b, Tag.PixelRepresentation, RawElements.us(pixelRepresentation));
        RawElements.implicitLe(b, SMALLEST_IMAGE_PIXEL_VALUE, RawElements.us(0xFF00));
        RawElements.implicitLe(b, MODALITY_LUT_SEQUENCE, item(lut.toByteArray()));
        RawElements.implicitLe(b, 0x60020010, RawElements.us(4)); // Overlay Rows of the second overlay
        RawElements.implicitLe(b, 0x60023000, new byte[] {1, 0, 2, 0});
        RawElements.implicitLe(b, 0x60030010, "CREATOR ".getBytes(StandardCharsets.US_ASCII));
        RawElements.implicitLe(b, 0x60031001, new byte[] {9, 9});
        RawElements.implicitLe(b, ICON_IMAGE_SEQUENCE, item(icon.toByteArray()));
        return RawElements.part10(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, b.toByteArray());
    }

    private static byte[] item(byte[] content) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        RawElements.implicitLe(b, Tag.Item, content);
        return b.toByteArray();
    }

    @Test
    void signedPixelsMakeUsOrSsValuesSsWhereverTheyStand() {
        DicomDataset ds = DicomReader.read(new ByteArrayInputStream(pixelValues(1))).dataset();
        assertThat(ds.get(ZERO_VELOCITY_PIXEL_VALUE).orElseThrow().vr()).isEqualTo(VR.SS);
        assertThat(ds.getStrings(ZERO_VELOCITY_PIXEL_VALUE)).containsExactly("-1");
        assertThat(ds.get(SMALLEST_IMAGE_PIXEL_VALUE).orElseThrow().vr()).isEqualTo(VR.SS);
        assertThat(ds.getStrings(SMALLEST_IMAGE_PIXEL_VALUE)).containsExactly("-256");
        DicomDataset lut = ds.getItems(MODALITY_LUT_SEQUENCE).get(0);
        assertThat(lut.get(LUT_DESCRIPTOR).orElseThrow().vr()).as("inherits the signedness").isEqualTo(VR.SS);
        assertThat(lut.get(LUT_DESCRIPTOR).orElseThrow().bytes()).containsExactly(RawElements.us(2, 0xFFFF, 16));
        assertThat(lut.get(LUT_DATA).orElseThrow().vr()).isEqualTo(VR.OW);
        DicomDataset icon = ds.getItems(ICON_IMAGE_SEQUENCE).get(0);
        assertThat(icon.get(SMALLEST_IMAGE_PIXEL_VALUE).orElseThrow().vr()).as("its own (0028,0103) is 0")
                .isEqualTo(VR.US);
        assertThat(icon.getStrings(SMALLEST_IMAGE_PIXEL_VALUE)).containsExactly("65534");
        assertRepeatingAndPrivate(ds);
    }

    @Test
    void unsignedPixelsKeepUs() {
        DicomDataset ds = DicomReader.read(new ByteArrayInputStream(pixelValues(0))).dataset();
        assertThat(ds.get(ZERO_VELOCITY_PIXEL_VALUE).orElseThrow().vr()).isEqualTo(VR.US);
        assertThat(ds.getStrings(SMALLEST_IMAGE_PIXEL_VALUE)).containsExactly("65280");
        assertThat(ds.getItems(MODALITY_LUT_SEQUENCE).get(0).get(LUT_DESCRIPTOR).orElseThrow().vr())
                .isEqualTo(VR.US);
        assertRepeatingAndPrivate(ds);
    }

    @Test
    void headerModeSettlesTheSameWay() throws Exception {
        Path file = tmp.resolve("signed.dcm");
        Files.write(file, pixelValues(1));
        DicomDataset ds = DicomReader.readHeader(file).dataset();
        assertThat(ds.get(ZERO_VELOCITY_PIXEL_VALUE).orElseThrow().vr()).isEqualTo(VR.SS);
        assertThat(ds).isEqualTo(DicomReader.read(file).dataset());
    }

    @Test
    void anExplicitVrInTheFileIsNeverOverruled() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        RawElements.explicitLe(b, Tag.PixelRepresentation, "US", RawElements.us(1));
        RawElements.explicitLe(b, SMALLEST_IMAGE_PIXEL_VALUE, "US", RawElements.us(0xFF00));
        byte[] file = RawElements.part10(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, b.toByteArray());
        DicomDataset ds = DicomReader.read(new ByteArrayInputStream(file)).dataset();
        assertThat(ds.get(SMALLEST_IMAGE_PIXEL_VALUE).orElseThrow().vr()).isEqualTo(VR.US);
    }

    private static void assertRepeatingAndPrivate(DicomDataset ds) {
        assertThat(ds.get(0x60020010).orElseThrow().vr()).isEqualTo(VR.US);
        assertThat(ds.getInt(0x60020010)).hasValue(4);
        assertThat(ds.get(0x60023000).orElseThrow().vr()).isEqualTo(VR.OW);
        assertThat(ds.get(0x60030010).orElseThrow().vr()).as("private creator").isEqualTo(VR.LO);
        assertThat(ds.get(0x60031001).orElseThrow().vr()).as("private, unknown").isEqualTo(VR.UN);
        assertThat(ds.getUid(Tag.SOPInstanceUID)).contains("1.2.3.4");
    }
}
