package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.PixelLayout;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredHeader;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.DicomWriter;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.file.FileBlobStore;
import org.pacs.storage.file.FileStorageConfig;
import org.pacs.storage.hsm.HsmStorage;
import org.pacs.storage.hsm.HsmStorageConfig;
import org.pacs.storage.hsm.StorageTier;
import org.pacs.storage.testkit.DicomSamples;
import org.pacs.storage.testkit.SyntheticInstances;

/**
 * A frame of a multi-frame instance is one ranged read of that frame's bytes at the blob store, never a download
 * of the instance: the store is a real file store behind {@link RecordingBlobStore}, which only observes.
 */
class RangedFramesTest {

    static final int FRAMES = 24;
    static final int ROWS = 128;
    static final int COLUMNS = 128;
    static final int FRAME_BYTES = ROWS * COLUMNS * 2;

    @TempDir
    Path dir;

    private RecordingBlobStore recorder;

    private HsmStorage hsm() {
        recorder = new RecordingBlobStore(new FileBlobStore(FileStorageConfig.of(dir.resolve("hot"))));
        Map<StorageTier, BlobStore> tiers = new EnumMap<>(StorageTier.class);
        tiers.put(StorageTier.HOT, recorder);
        return new HsmStorage(tiers, JdbcInstanceCatalog.sqlite(dir.resolve("catalog.db")),
                HsmStorageConfig.defaults().withNodeId("ranged-frames"));
    }

    /** A native 16-bit multi-frame instance whose frame n holds bytes derived from n. */
    static DicomDataset multiFrame() {
        DicomDataset d = SyntheticInstances.header();
        d.setInt(Tag.Rows, VR.US, ROWS);
        d.setInt(Tag.Columns, VR.US, COLUMNS);
        d.setInt(Tag.BitsAllocated, VR.US, 16);
        d.setInt(Tag.BitsStored, VR.US, 16);
        d.setInt(Tag.HighBit, VR.US, 15);
        d.set(Tag.NumberOfFrames, VR.IS, Integer.toString(FRAMES));
        byte[] px = new byte[FRAMES * FRAME_BYTES];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) (i / FRAME_BYTES * 31 + i * 7);
        }
        d.setBytes(Tag.PixelData, VR.OW, px);
        return d;
    }

    @Test
    void aNativeFrameIsOneRangedReadOfItsBytes() throws Exception {
        DicomDataset d = multiFrame();
        byte[] bytes = DicomWriter.toBytes(d, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        byte[] pixels = d.get(Tag.PixelData).orElseThrow().bytes();
        try (DicomWebFixture web = new DicomWebFixture(dir, DicomWebConfig.defaults().withPort(0), hsm())) {
            assertThat(web.stow("tina", "/studies", List.of(bytes)).statusCode()).isEqualTo(200);
            SopInstanceUid uid = SopInstanceUid.of(d.getUid(Tag.SOPInstanceUID).orElseThrow());
            HsmStorage hsm = (HsmStorage) web.archive;
            PixelLayout layout = hsm.storedHeader(uid).map(StoredHeader::pixels).orElseThrow();
            long valueOffset = bytes.length - pixels.length;
            assertThat(layout).isEqualTo(PixelLayout.nativeValue(valueOffset, pixels.length));
            String path = path(d);

            recorder.reads.clear();
            HttpResponse<byte[]> r = web.getBytes("victor", path + "/frames/7", null);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(DicomWebFixture.parts(r)).singleElement()
                    .isEqualTo(Arrays.copyOfRange(pixels, 6 * FRAME_BYTES, 7 * FRAME_BYTES));
            assertThat(recorder.reads).singleElement().satisfies(read -> {
                assertThat(read.offset()).isEqualTo(valueOffset + 6L * FRAME_BYTES);
                assertThat(read.length()).isEqualTo(FRAME_BYTES);
            });

            // frames out of order: one read per run of consecutive frames, none of the whole instance
            recorder.reads.clear();
            r = web.getBytes("victor", path + "/frames/20,3,4,5,1", null);
            assertThat(r.statusCode()).isEqualTo(200);
            List<byte[]> parts = DicomWebFixture.parts(r);
            int[] asked = {20, 3, 4, 5, 1};
            for (int i = 0; i < asked.length; i++) {
                assertThat(parts.get(i)).as("frame " + asked[i]).isEqualTo(Arrays.copyOfRange(pixels,
                        (asked[i] - 1) * FRAME_BYTES, asked[i] * FRAME_BYTES));
            }
            assertThat(recorder.reads).extracting(RecordingBlobStore.Read::length)
                    .containsExactly((long) FRAME_BYTES, 3L * FRAME_BYTES, (long) FRAME_BYTES);
            long read = recorder.reads.stream().mapToLong(RecordingBlobStore.Read::length).sum();
            assertThat(read).isEqualTo(5L * FRAME_BYTES).isLessThan(bytes.length / 4);
        }
    }

    @Test
    void anEncapsulatedFrameIsOneRangedReadOfItsFragment() throws Exception {
        DicomSamples.assumeAvailable();
        Path sample = DicomSamples.dir().resolve("test_files/SC_rgb_rle_2frame.dcm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isRegularFile(sample), "no " + sample);
        byte[] bytes = Files.readAllBytes(sample);
        DicomFile f = DicomReader.read(sample);
        try (DicomWebFixture web = new DicomWebFixture(dir, DicomWebConfig.defaults().withPort(0), hsm())) {
            HttpResponse<String> stored = web.stow("tina", "/studies", List.of(bytes));
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
            DicomDataset ds = f.dataset();
            SopInstanceUid uid = SopInstanceUid.of(ds.getUid(Tag.SOPInstanceUID).orElseThrow());
            PixelLayout layout = ((HsmStorage) web.archive).storedHeader(uid).map(StoredHeader::pixels).orElseThrow();
            assertThat(layout.encapsulated()).isTrue();
            assertThat(layout.fragments()).isEqualTo(2);
            long second = layout.fragmentOffset(1);

            recorder.reads.clear();
            HttpResponse<byte[]> r = web.getBytes("victor", path(ds) + "/frames/2", null);
            assertThat(r.statusCode()).isEqualTo(200);
            byte[] frame = DicomWebFixture.parts(r).get(0);
            // the frame is the second fragment's value, byte for byte, as it sits in the file
            assertThat(frame).isEqualTo(Arrays.copyOfRange(bytes, (int) second, (int) (second + layout.fragmentLength(1))));
            assertThat(recorder.reads).singleElement().isEqualTo(new RecordingBlobStore.Read(
                    recorder.reads.get(0).key(), second, layout.fragmentLength(1)));
        }
    }

    static String path(DicomDataset d) {
        return "/studies/" + d.getUid(Tag.StudyInstanceUID).orElseThrow() + "/series/"
                + d.getUid(Tag.SeriesInstanceUID).orElseThrow() + "/instances/" + d.getUid(Tag.SOPInstanceUID).orElseThrow();
    }
}
