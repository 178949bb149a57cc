package org.pacs.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockListType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.spool.InstanceSpooler;
import org.pacs.storage.testkit.azure.AzuriteServer;

/** The emulator dies while blocks are being staged: the store fails clearly and no partial blob appears. */
class AzuriteKilledTest {

    @TempDir
    Path tmp;

    @Test
    void killedMidUploadGivesAClearErrorAndNoPartialBlob() throws Exception {
        Path location = Files.createDirectories(tmp.resolve("azurite"));
        AzuriteServer azurite = AzuriteServer.startAt(location);
        AzureStorageConfig config = AzureStorageConfig.builder("killed", azurite.connectionString())
                .createContainer(true).blockUploadThreshold(1024 * 1024).blockSize(128 * 1024).maxConcurrency(2)
                .maxRetries(1).retryDelayMs(20).connectTimeoutMs(1000).build();
        StoredInstance survivor;
        DicomDataset bigHeader = TestInstances.dataset("BIG^ONE");
        String bigName = bigHeader.getString(Tag.StudyInstanceUID, "") + "/"
                + bigHeader.getString(Tag.SeriesInstanceUID, "") + "/" + bigHeader.getString(Tag.SOPInstanceUID, "") + ".dcm";
        BlobContainerClient sdk = sdk(azurite);
        try (AzureBlobStorage s = new AzureBlobStorage(config, tmp.resolve("spool"))) {
            survivor = s.store(TestInstances.dataset("SURVIVOR^ONE"));
            // Azurite saves its blob index every few seconds; wait until the survivor is on disk, so after the
            // restart its presence shows the index was persisted and the big one's absence means something.
            await("Azurite to persist its index").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> Files.readString(location.resolve("data").resolve("__azurite_db_blob__.json"))
                            .contains(survivor.sopInstanceUid().value()));

            CompletableFuture<StoredInstance> upload = CompletableFuture.supplyAsync(
                    () -> s.store(TestInstances.large(bigHeader, 96L * 1024 * 1024, 3)));
            await("blocks of the big instance to be staged").atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> upload.isDone() || uncommittedBlocks(sdk, bigName) > 0);
            assertThat(upload).as("the upload must still be running when Azurite is killed").isNotDone();
            azurite.kill();

            assertThat(upload).failsWithin(2, TimeUnit.MINUTES).withThrowableThat()
                    .isInstanceOf(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
                        assertThat(e.getMessage()).contains("devstoreaccount1", "'killed'", bigName,
                                "that the service (or Azurite) runs");
                    });
            assertThat(s.exists(survivor.sopInstanceUid())).isTrue();
            assertThat(s.list()).extracting(StoredInstance::sopInstanceUid).containsExactly(survivor.sopInstanceUid());
            assertThat(s.isConnected()).isFalse();
        }

        try (AzuriteServer again = AzuriteServer.startAt(location);
             AzureBlobStorage reopened = new AzureBlobStorage(config.toBuilder()
                     .connectionString(again.connectionString()).build(), tmp.resolve("spool"))) {
            BlobContainerClient after = sdk(again);
            assertThat(after.getBlobClient(bigName).exists()).isFalse();
            assertThat(reopened.list()).extracting(StoredInstance::sopInstanceUid)
                    .containsExactly(survivor.sopInstanceUid());
            assertThat(TestInstances.sha256(reopened.open(survivor.sopInstanceUid()))).isEqualTo(survivor.sha256());
        }
    }

    private static int uncommittedBlocks(BlobContainerClient sdk, String name) {
        try {
            return sdk.getBlobClient(name).getBlockBlobClient().listBlocks(BlockListType.UNCOMMITTED)
                    .getUncommittedBlocks().size();
        } catch (BlobStorageException e) {
            return 0;
        }
    }

    private static BlobContainerClient sdk(AzuriteServer azurite) {
        return new BlobServiceClientBuilder().connectionString(azurite.connectionString()).buildClient()
                .getBlobContainerClient("killed");
    }
}
