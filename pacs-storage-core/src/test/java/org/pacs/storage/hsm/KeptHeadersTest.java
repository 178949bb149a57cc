package org.pacs.storage.hsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredHeader;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.file.FileBlobStore;
import org.pacs.storage.file.FileStorageConfig;

/**
 * The header kept at ingest through the whole life of an instance in an HSM on real parts (file tiers, SQLite):
 * kept by a store, unchanged by a migration, gone with a removal, and re-created by rebuild-index from the blobs.
 */
class KeptHeadersTest {

    private static final Path SAMPLE = Path.of("/usr/lib/python3/dist-packages/pydicom/data/test_files/"
            + "SC_rgb_rle_2frame.dcm");

    @TempDir
    Path dir;

    private HsmStorage open(String catalog) {
        Map<StorageTier, BlobStore> tiers = new EnumMap<>(StorageTier.class);
        tiers.put(StorageTier.HOT, new FileBlobStore(FileStorageConfig.of(dir.resolve("hot")).withFsync(false)));
        tiers.put(StorageTier.WARM, new FileBlobStore(FileStorageConfig.of(dir.resolve("warm")).withFsync(false)));
        return new HsmStorage(tiers, JdbcInstanceCatalog.sqlite(dir.resolve(catalog)),
                HsmStorageConfig.defaults().withNodeId("kept-headers"));
    }

    private static DicomDataset instance(String study, int n) {
        return new DicomDataset().set(Tag.SOPClassUID, VR.UI, "1.2.840.10008.5.1.4.1.1.7")
                .set(Tag.SOPInstanceUID, VR.UI, UidGenerator.newUid()).set(Tag.StudyInstanceUID, VR.UI, study)
                .set(Tag.SeriesInstanceUID, VR.UI, study + ".1").set(Tag.PatientID, VR.LO, "P" + n)
                .setInt(Tag.Rows, VR.US, 8).setInt(Tag.Columns, VR.US, 8).setInt(Tag.BitsAllocated, VR.US, 8)
                .setBytes(Tag.PixelData, VR.OB, new byte[64]);
    }

    @Test
    void keptAtStoreUnchangedByMigrationGoneWithRemovalRebuiltFromTheBlobs() throws Exception {
        String study = UidGenerator.newUid();
        Map<SopInstanceUid, StoredHeader> kept;
        SopInstanceUid removed;
        try (HsmStorage hsm = open("catalog.db")) {
            List<SopInstanceUid> uids = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                uids.add(hsm.store(instance(study, i)).sopInstanceUid());
            }
            if (Files.isRegularFile(SAMPLE)) {
                SopInstanceUid s = hsm.store(SAMPLE).sopInstanceUid();
                assertThat(hsm.storedHeader(s).orElseThrow().pixels().fragments()).isEqualTo(2);
            }
            kept = hsm.storedHeaders(study, null);
            assertThat(kept.keySet()).containsExactlyInAnyOrderElementsOf(uids);
            kept.values().forEach(h -> assertThat(h.pixels()).isNotNull());

            assertThat(hsm.migrate(uids.get(0), StorageTier.WARM)).isTrue();
            assertThat(hsm.storedHeader(uids.get(0))).hasValue(kept.get(uids.get(0)));

            removed = uids.get(2);
            hsm.remove(removed);
            assertThat(hsm.storedHeader(removed)).isEmpty();
            kept = new java.util.HashMap<>(kept);
            kept.remove(removed);
        }
        // a new catalog over the same tiers: rebuild-index reads each blob and keeps its header again
        try (HsmStorage hsm = open("rebuilt.db")) {
            assertThat(hsm.storedHeaders(study, null)).isEmpty();
            assertThat(hsm.rebuildCatalog().added()).isGreaterThanOrEqualTo(2);
            assertThat(hsm.storedHeaders(study, null)).isEqualTo(kept);
            assertThat(hsm.storedHeader(removed)).isEmpty();
        }
    }
}
