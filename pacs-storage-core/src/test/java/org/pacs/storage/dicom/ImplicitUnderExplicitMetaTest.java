package org.pacs.storage.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data set in Implicit VR under a meta group that names an explicit syntax is read as pydicom reads it (DCMTK
 * refuses such files); truly broken data behind such a meta group still ends in a DicomParseException.
 */
class ImplicitUnderExplicitMetaTest {

    private static final Path SC_RGB_JPEG = Samples.PYDICOM_DATA.resolve("test_files/SC_rgb_jpeg.dcm");

    /** Per top-level element: tag, VR, and the values as text (fragment lengths for encapsulated Pixel Data). */
    private static final String PYDICOM_ELEMENTS = """
            import sys, pydicom
            from pydicom.encaps import generate_pixel_data_fragment
            from pydicom.filebase import DicomBytesIO
            ds = pydicom.dcmread(sys.argv[1])
            for e in ds:
                vr = getattr(e.VR, 'value', e.VR)
                if e.tag == 0x7FE00010:
                    fp = DicomBytesIO(e.value[8 + int.from_bytes(e.value[4:8], 'little'):])
                    fp.is_little_endian = True
                    frags = [len(f) for f in generate_pixel_data_fragment(fp)]
                    text = 'fragments ' + ' '.join(map(str, frags))
                elif e.VM == 0:
                    text = ''
                elif e.VM > 1:
                    text = '\\\\'.join(str(v) for v in e.value)
                else:
                    text = str(e.value)
                print('%08X|%s|%s' % (e.tag, vr, text))
            """;

    @TempDir
    Path tmp;

    @Test
    void scRgbJpegReadsAsPydicomReadsIt() throws Exception {
        assumeTrue(Files.isRegularFile(SC_RGB_JPEG), "python3-pydicom sample data not installed");
        assumeTrue(Pydicom.available(), "python3 with pydicom not installed");
        DicomFile f = DicomReader.read(SC_RGB_JPEG);
        assertThat(f.transferSyntaxUid()).as("as declared; the pixel data is JPEG")
                .isEqualTo("1.2.840.10008.1.2.4.50");
        assertThat(f.implicitVr()).as("how the bytes after the header are to be walked").isTrue();
        List<String> ours = new ArrayList<>();
        for (DicomElement e : f.dataset().elements()) {
            String text = e.isEncapsulated()
                    ? "fragments " + String.join(" ", e.fragments().stream().skip(1)
                            .map(b -> Integer.toString(b.length)).toList())
                    : String.join("\\", f.dataset().getStrings(e.tag()));
            ours.add(String.format("%08X|%s|%s", e.tag(), e.vr(), text));
        }
        assertThat(ours).containsExactlyElementsOf(Pydicom.run(PYDICOM_ELEMENTS, SC_RGB_JPEG.toString()));
        assertThat(ours).hasSizeGreaterThan(30);

        DicomFile header = DicomReader.readHeader(SC_RGB_JPEG);
        assertThat(header.dataset()).isEqualTo(f.dataset().copy().remove(Tag.PixelData));
        try (InputStream in = new BufferedInputStream(Files.newInputStream(SC_RGB_JPEG))) {
            assertThat(DicomReader.readHeader(in).dataset()).isEqualTo(header.dataset());
        }
    }

    private static byte[] implicitDataSet() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        RawElements.implicitLe(b, Tag.SOPClassUID, RawElements.pad("1.2.840.10008.5.1.4.1.1.7".getBytes(), '\0'));
        RawElements.implicitLe(b, Tag.SOPInstanceUID, RawElements.pad("1.2.3.4.5".getBytes(), '\0'));
        RawElements.implicitLe(b, Tag.PatientName, RawElements.pad("Doe^Jane".getBytes(), ' '));
        RawElements.implicitLe(b, Tag.Rows, RawElements.us(2));
        RawElements.implicitLe(b, 0x300A0002, RawElements.pad("Plan1".getBytes(), ' ')); // RT Plan Label, SH
        RawElements.implicitLe(b, Tag.PixelData, new byte[] {1, 2, 3, 4});
        return b.toByteArray();
    }

    @Test
    void syntheticImplicitDataSetUnderAnExplicitMetaGroup() throws Exception {
        byte[] file = RawElements.part10(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, implicitDataSet());
        Path p = tmp.resolve("implicit-under-explicit.dcm");
        Files.write(p, file);
        for (DicomFile f : List.of(DicomReader.read(p), DicomReader.read(new ByteArrayInputStream(file)))) {
            DicomDataset ds = f.dataset();
            assertThat(f.transferSyntaxUid()).isEqualTo(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            assertThat(f.implicitVr()).isTrue();
            assertThat(ds.getUid(Tag.SOPInstanceUID)).contains("1.2.3.4.5");
            assertThat(ds.getString(Tag.PatientName)).contains("Doe^Jane");
            assertThat(ds.get(Tag.Rows).orElseThrow().vr()).isEqualTo(VR.US);
            assertThat(ds.getInt(Tag.Rows)).hasValue(2);
            assertThat(ds.get(0x300A0002).orElseThrow().vr()).isEqualTo(VR.SH);
            assertThat(ds.get(Tag.PixelData).orElseThrow().vr()).isEqualTo(VR.OW);
            assertThat(ds.get(Tag.PixelData).orElseThrow().bytes()).containsExactly(1, 2, 3, 4);
            assertThat(f.headerLength()).isEqualTo(file.length);
        }
        DicomFile header = DicomReader.readHeader(new BufferedInputStream(new ByteArrayInputStream(file)));
        assertThat(header.dataset().contains(Tag.PixelData)).isFalse();
        assertThat(header.headerLength()).isEqualTo(file.length - 12);
    }

    @Test
    void anExplicitDataSetIsStillReadAsExplicit() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        RawElements.explicitLe(b, Tag.SOPInstanceUID, "UI", RawElements.pad("1.2.3".getBytes(), '\0'));
        RawElements.explicitLe(b, Tag.Rows, "SS", RawElements.us(7)); // a VR the dictionary would not give
        byte[] file = RawElements.part10(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, b.toByteArray());
        DicomFile f = DicomReader.read(new ByteArrayInputStream(file));
        assertThat(f.implicitVr()).isFalse();
        assertThat(f.dataset().get(Tag.Rows).orElseThrow().vr()).isEqualTo(VR.SS);
        byte[] implicit = RawElements.part10(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN, implicitDataSet());
        assertThat(DicomReader.read(new ByteArrayInputStream(implicit)).implicitVr()).isTrue();
    }

    @Test
    void brokenDataBehindAnExplicitMetaGroupIsStillRefused() throws Exception {
        // Bytes 4-5 are no VR, so the data set is read as implicit: its length 0xFFFF0201 cannot be there.
        byte[] hugeLength = RawElements.part10(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                new byte[] {0x08, 0x00, 0x16, 0x00, 0x01, 0x02, (byte) 0xFF, (byte) 0xFF, 'x', 'y'});
        Path p = tmp.resolve("huge.dcm");
        Files.write(p, hugeLength);
        assertThatThrownBy(() -> DicomReader.read(p)).isInstanceOf(DicomParseException.class)
                .hasMessageContaining("exceeds").hasMessageContaining("byte offset").hasMessageContaining("(0008,0016)");
        assertThatThrownBy(() -> DicomReader.read(new ByteArrayInputStream(hugeLength)))
                .isInstanceOf(DicomParseException.class).hasMessageContaining("(0008,0016)");
        // Too short for a length field, whichever way it is read.
        byte[] cut = RawElements.part10(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
                new byte[] {0x08, 0x00, 0x16, 0x00, 0x01});
        assertThatThrownBy(() -> DicomReader.read(new ByteArrayInputStream(cut)))
                .isInstanceOf(DicomParseException.class).hasMessageContaining("byte offset");
        // Garbage after a valid implicit element: the next tag's length runs past the end.
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(implicitDataSet());
        b.writeBytes(new byte[] {0x10, 0x00, 0x20, 0x00, 0x00, 0x10, 0x00, 0x00, 'P'});
        byte[] trailing = RawElements.part10(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, b.toByteArray());
        assertThatThrownBy(() -> DicomReader.read(new ByteArrayInputStream(trailing)))
                .isInstanceOf(DicomParseException.class).hasMessageContaining("(0010,0020)");
    }
}
