package org.pacs.storage.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.pacs.storage.StorageException;

class DicomWriterTest {

    @ParameterizedTest
    @ValueSource(strings = {TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN})
    void roundTripGivesTheSameDataset(String ts) {
        DicomDataset ds = Samples.ct();
        byte[] bytes = DicomWriter.toBytes(ds, ts);

        DicomFile read = DicomReader.read(new ByteArrayInputStream(bytes));

        assertThat(read.transferSyntaxUid()).isEqualTo(ts);
        assertThat(read.dataset()).isEqualTo(ds);
        assertThat(read.dataset().getString(Tag.PatientName)).contains("Müller^Jürgen=山田^太郎");
        assertThat(read.dataset().getItems(0x00081115).get(0).getItems(0x00081250).get(0)
                .getString(Tag.AccessionNumber)).contains("ACC1");
    }

    @Test
    void metaGroupIsCompleteAndItsLengthIsRight() {
        byte[] bytes = DicomWriter.toBytes(Samples.ct(), TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(new String(bytes, 128, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("DICM");

        DicomFile read = DicomReader.read(new ByteArrayInputStream(bytes));
        DicomDataset meta = read.fileMeta();

        long groupLength = Integer.toUnsignedLong(ByteBuffer.wrap(meta.get(Tag.FileMetaInformationGroupLength)
                .orElseThrow().bytes()).order(ByteOrder.LITTLE_ENDIAN).getInt());
        int metaEnd = 132 + 12 + (int) groupLength;
        // The first data set element, (0008,0005), starts right where the group length says the meta group ends.
        assertThat(bytes[metaEnd]).isEqualTo((byte) 0x08);
        assertThat(bytes[metaEnd + 2]).isEqualTo((byte) 0x05);
        assertThat(meta.get(Tag.FileMetaInformationVersion).orElseThrow().bytes()).containsExactly(0, 1);
        assertThat(meta.getUid(Tag.MediaStorageSOPClassUID)).contains("1.2.840.10008.5.1.4.1.1.2");
        assertThat(meta.getUid(Tag.MediaStorageSOPInstanceUID)).contains("1.2.3.4.5.6.7");
        assertThat(meta.getUid(Tag.TransferSyntaxUID)).contains(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        assertThat(meta.getUid(Tag.ImplementationClassUID)).contains(DicomWriter.IMPLEMENTATION_CLASS_UID);
        assertThat(meta.getString(Tag.ImplementationVersionName)).contains(DicomWriter.IMPLEMENTATION_VERSION_NAME);
        assertThat(read.dataset().contains(Tag.TransferSyntaxUID)).isFalse();
    }

    @Test
    void encapsulatedFragmentsRoundTrip() {
        DicomDataset ds = Samples.ct();
        ds.put(DicomElement.ofFragments(Tag.PixelData, VR.OB, List.of(new byte[0], new byte[] {1, 2, 3, 4},
                new byte[] {5, 6})));
        DicomFile read = DicomReader.read(new ByteArrayInputStream(
                DicomWriter.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)));
        assertThat(read.dataset()).isEqualTo(ds);
    }

    @Test
    void missingSopInstanceUidIsRefusedWithAHint() {
        DicomDataset ds = Samples.ct().remove(Tag.SOPInstanceUID);
        assertThatThrownBy(() -> DicomWriter.toBytes(ds, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN))
                .isInstanceOf(StorageException.class).hasMessageContaining("(0008,0018)");
    }

    @Test
    void unwritableSyntaxAndUnencodableTextAreRefused() {
        assertThatThrownBy(() -> DicomWriter.toBytes(Samples.ct(), TransferSyntax.JPEG_BASELINE))
                .isInstanceOf(StorageException.class).hasMessageContaining("cannot be written");
        DicomDataset latin1 = Samples.ct().set(Tag.SpecificCharacterSet, VR.CS, "ISO_IR 100");
        assertThatThrownBy(() -> DicomWriter.toBytes(latin1, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN))
                .isInstanceOf(StorageException.class).hasMessageContaining("ISO_IR 192");
    }
}
