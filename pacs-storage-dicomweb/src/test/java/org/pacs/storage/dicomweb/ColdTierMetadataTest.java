package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.azure.AzureAccessTier;
import org.pacs.storage.azure.AzureBlobStore;
import org.pacs.storage.azure.AzureStorageConfig;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.file.FileBlobStore;
import org.pacs.storage.file.FileStorageConfig;
import org.pacs.storage.hsm.HsmStorage;
import org.pacs.storage.hsm.HsmStorageConfig;
import org.pacs.storage.hsm.StorageTier;
import org.pacs.storage.testkit.SyntheticInstances;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.testkit.azure.AzuriteServer;

/**
 * A study in a cold tier on Azure Blob Storage (a real Azurite) in the Archive tier: /metadata of the study, a
 * series and an instance answers from the headers kept in the catalog, the same JSON as before the move, while
 * the bytes answer 503 (archived); then with the Azurite process stopped, so no request could reach the tier, the
 * metadata still answers, identical, and the bytes 503 (unreachable).
 */
class ColdTierMetadataTest {

    static final int INSTANCES = 30;

    @TempDir
    Path dir;

    @Test
    void metadataOfAStudyInAnArchivedColdTierNeedsNoRequestToTheTier() throws Exception {
        ObjectMapper json = new ObjectMapper();
        AzuriteServer azurite = AzuriteServer.start();
        try {
            AzureBlobStore cold = new AzureBlobStore(AzureStorageConfig.builder("cold-metadata",
                    azurite.connectionString()).createContainer(true).maxRetries(0).retryDelayMs(10)
                    .connectTimeoutMs(2000).requestTimeoutMs(5000).build(), dir.resolve("spool-cold"));
            Map<StorageTier, BlobStore> tiers = new EnumMap<>(StorageTier.class);
            tiers.put(StorageTier.HOT, new FileBlobStore(FileStorageConfig.of(dir.resolve("hot"))));
            tiers.put(StorageTier.COLD, cold);
            HsmStorage hsm = new HsmStorage(tiers, JdbcInstanceCatalog.sqlite(dir.resolve("catalog.db")),
                    HsmStorageConfig.defaults().withNodeId("cold-metadata").withRestoreOnRead(false));
            try (DicomWebFixture web = new DicomWebFixture(dir, DicomWebConfig.defaults().withPort(0), hsm)) {
                String study = UidGenerator.newUid();
                String[] series = {UidGenerator.newUid(), UidGenerator.newUid()};
                List<byte[]> parts = new ArrayList<>();
                List<SopInstanceUid> uids = new ArrayList<>();
                for (int i = 0; i < INSTANCES; i++) {
                    String sop = UidGenerator.newUid();
                    DicomDataset h = SyntheticInstances.header("P-COLD", "Cold^Patient", study, series[i % 2], sop,
                            "CT", "20240101");
                    h.set(Tag.InstanceNumber, org.pacs.storage.dicom.VR.IS, Integer.toString(i + 1));
                    parts.add(SyntheticInstances.bytes(h, 8192, i));
                    uids.add(SopInstanceUid.of(sop));
                }
                assertThat(web.stow("tina", "/studies", parts).statusCode()).isEqualTo(200);
                String studyPath = "/studies/" + study;
                String seriesPath = studyPath + "/series/" + series[1];
                String instancePath = seriesPath + "/instances/" + uids.get(1);
                JsonNode studyJson = metadata(web, json, studyPath);
                JsonNode seriesJson = metadata(web, json, seriesPath);
                JsonNode instanceJson = metadata(web, json, instancePath);
                assertThat(studyJson).hasSize(INSTANCES);
                for (JsonNode instance : studyJson) { // each instance placed in its own series
                    assertThat(instance.get("7FE00010").get("BulkDataURI").asText()).contains("/series/"
                            + instance.get("0020000E").get("Value").get(0).asText() + "/instances/"
                            + instance.get("00080018").get("Value").get(0).asText() + "/bulkdata/7FE00010");
                }
                assertThat(seriesJson).hasSize(INSTANCES / 2);

                assertThat(hsm.migrate(uids, StorageTier.COLD).failed()).isEmpty();
                for (SopInstanceUid uid : uids) {
                    cold.setAccessTier(cold.keyFor(hsm.describe(uid).orElseThrow()), AzureAccessTier.ARCHIVE);
                }
                assertThat(metadata(web, json, studyPath)).isEqualTo(studyJson);
                assertThat(metadata(web, json, seriesPath)).isEqualTo(seriesJson);
                assertThat(metadata(web, json, instancePath)).isEqualTo(instanceJson);
                HttpResponse<String> bytes = web.get("victor", instancePath, null);
                assertThat(bytes.statusCode()).as(bytes.body()).isEqualTo(503);
                assertThat(bytes.body()).contains("archive");

                azurite.close(); // from here on any request to the cold tier fails
                assertThat(azurite.isAlive()).isFalse();
                assertThat(metadata(web, json, studyPath)).isEqualTo(studyJson);
                assertThat(metadata(web, json, seriesPath)).isEqualTo(seriesJson);
                assertThat(metadata(web, json, instancePath)).isEqualTo(instanceJson);
                assertThat(web.get("victor", instancePath, null).statusCode()).isEqualTo(503);
                assertThat(web.get("victor", instancePath + "/frames/1", null).statusCode()).isEqualTo(503);
            }
        } finally {
            azurite.close();
        }
    }

    private static JsonNode metadata(DicomWebFixture web, ObjectMapper json, String path) throws Exception {
        HttpResponse<String> r = web.get("victor", path + "/metadata", "application/dicom+json");
        assertThat(r.statusCode()).as(path + ": " + r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }
}
