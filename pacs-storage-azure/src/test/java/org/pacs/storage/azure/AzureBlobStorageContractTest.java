package org.pacs.storage.azure;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.spool.InstanceSpooler;
import org.pacs.storage.testkit.AbstractStorageBackendTest;
import org.pacs.storage.testkit.ForkedBackend;
import org.pacs.storage.testkit.azure.AzuriteServer;

/** The backend contract against Azurite; every test gets a fresh container. */
class AzureBlobStorageContractTest extends AbstractStorageBackendTest {

    private static final AtomicInteger CONTAINERS = new AtomicInteger();
    private static AzuriteServer azurite;

    @BeforeAll
    static void startAzurite() {
        azurite = AzuriteServer.start();
    }

    @AfterAll
    static void stopAzurite() {
        azurite.close();
    }

    @Override
    protected StorageBackend createBackend(DuplicatePolicy policy) {
        AzureStorageConfig config = AzureStorageConfig.builder("contract-" + CONTAINERS.incrementAndGet(),
                azurite.connectionString()).createContainer(true).duplicatePolicy(policy).build();
        return new AzureBlobStorage(config, tempDir.resolve("spool"));
    }

    @Override
    protected void corruptStoredBytes(StorageBackend backend, StoredInstance instance) {
        BlobClient blob = blob(backend, instance);
        var props = blob.getProperties();
        byte[] bytes = blob.downloadContent().toBytes();
        bytes[bytes.length - 1] ^= 0x5A;
        // Same name, same metadata (so the recorded SHA-256 stays), different bytes.
        blob.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(bytes))
                .setMetadata(props.getMetadata()), null, null);
    }

    @Override
    protected void deleteStoredBytes(StorageBackend backend, StoredInstance instance) {
        blob(backend, instance).delete();
    }

    /** The 300 MB (over the 100 MiB block threshold, so staged blocks) rather than 2 GiB: test time. */
    @Override
    protected long largeInstancePixelBytes() {
        return 300L << 20;
    }

    @Override
    protected ForkedBackend forkedBackend(Path scratchDir) {
        return new ForkedBackend("azure", Map.of(
                "container-name", "large-" + CONTAINERS.incrementAndGet(),
                "connection-string", azurite.connectionString(),
                "create-container", "true",
                "block-upload-threshold", "100MiB",
                "block-size", "4MiB",
                "max-concurrency", "8",
                "spool-dir", scratchDir.resolve("spool").toString()));
    }

    private static BlobClient blob(StorageBackend backend, StoredInstance instance) {
        AzureStorageConfig config = ((AzureBlobStorage) backend).config();
        String name = new BlobNaming(config.blobPrefix(), config.hashedLayout())
                .blobName(instance.studyInstanceUid(), instance.seriesInstanceUid(), instance.sopInstanceUid());
        return new BlobServiceClientBuilder().connectionString(config.connectionString()).buildClient()
                .getBlobContainerClient(config.containerName()).getBlobClient(name);
    }
}
