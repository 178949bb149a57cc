package org.pacs.storage.dicomweb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.azure.AzureAccessTier;
import org.pacs.storage.azure.AzureBlobStorage;
import org.pacs.storage.azure.AzureStorageConfig;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.testkit.SyntheticInstances;
import org.pacs.storage.testkit.azure.AzuriteServer;

/**
 * An instance in Azure's Archive tier (on a real Azurite, which refuses reads of archived blobs as Azure does):
 * WADO answers 503 with Retry-After and the restore status, having asked for the restore; once the blob is
 * readable again (Azurite rehydrates at once, Azure after hours) the same request succeeds.
 */
class ArchivedInstanceTest {

    private static AzuriteServer azurite;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        azurite = AzuriteServer.start();
    }

    @AfterAll
    static void stop() {
        azurite.close();
    }

    @Test
    void archivedInstanceIs503WithTheRestoreStatusThenReadable() throws Exception {
        AzureBlobStorage azure = new AzureBlobStorage(AzureStorageConfig.builder("dicomweb-archived",
                azurite.connectionString()).createContainer(true).build(), dir.resolve("spool"));
        try (DicomWebFixture web = new DicomWebFixture(dir, DicomWebConfig.defaults().withPort(0), azure)) {
            DicomDataset h = SyntheticInstances.header();
            byte[] bytes = SyntheticInstances.bytes(h, 4096, 3);
            assertThat(web.stow("tina", "/studies", List.of(bytes)).statusCode()).isEqualTo(200);
            SopInstanceUid uid = SopInstanceUid.of(h.getUid(Tag.SOPInstanceUID).orElseThrow());
            azure.setAccessTier(uid, AzureAccessTier.ARCHIVE);
            String path = "/studies/" + h.getUid(Tag.StudyInstanceUID).orElseThrow() + "/series/"
                    + h.getUid(Tag.SeriesInstanceUID).orElseThrow() + "/instances/" + uid;

            HttpResponse<String> archived = web.get("victor", path, null);
            assertThat(archived.statusCode()).isEqualTo(503);
            assertThat(archived.headers().firstValue("Retry-After")).hasValue("900");
            JsonNode body = new ObjectMapper().readTree(archived.body());
            assertThat(body.get("message").asText()).contains("archive tier").contains("restore has been requested");
            assertThat(body.get("restore").get("sopInstanceUID").asText()).isEqualTo(uid.value());
            assertThat(body.get("restore").get("state").asText()).isIn("IN_PROGRESS", "NOT_ARCHIVED", "RESTORED");
            assertThat(web.get("victor", path + "/metadata", null).statusCode()).isIn(200, 503);

            assertThat(azure.restoreStatus(uid).readable()).as("the restore was asked for").isTrue();
            HttpResponse<byte[]> back = web.getBytes("victor", path, null);
            assertThat(back.statusCode()).isEqualTo(200);
            assertThat(DicomWebFixture.parts(back)).singleElement().isEqualTo(bytes);
        }
    }
}
