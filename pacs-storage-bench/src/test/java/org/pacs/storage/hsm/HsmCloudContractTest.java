package org.pacs.storage.hsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.azure.AzureBlobStorage;
import org.pacs.storage.azure.AzureStorageConfig;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;
import org.pacs.storage.blob.Digests;
import org.pacs.storage.s3.CloudStorageConfig;
import org.pacs.storage.s3.S3Storage;
import org.pacs.storage.spool.InstanceSpooler;
import org.pacs.storage.testkit.AbstractFileBackedStorageTest;
import org.pacs.storage.testkit.ForkedBackend;
import org.pacs.storage.testkit.SyntheticInstances;
import org.pacs.storage.testkit.azure.AzuriteServer;
import org.pacs.storage.testkit.s3.S3MockServer;

/**
 * HsmStorage with hot on FileStorage, warm on Azure Blob (Azurite) and cold on S3 (S3Mock) passes the backend
 * contract, and moves instances through every tier byte for byte. Lives in the bench module because it is the
 * one that depends on core, testkit, S3 and Azure together (the testkit cannot depend on the backends, which
 * depend on it).
 */
class HsmCloudContractTest extends AbstractFileBackedStorageTest {

    private static final AtomicInteger N = new AtomicInteger();
    private static AzuriteServer azurite;
    private static S3MockServer s3;
    private static Path s3Dir;

    @BeforeAll
    static void startServers() throws Exception {
        azurite = AzuriteServer.start();
        s3Dir = Files.createTempDirectory("hsm-s3mock-");
        s3 = S3MockServer.start(s3Dir);
    }

    @AfterAll
    static void stopServers() throws Exception {
        azurite.close();
        s3.close();
        try (var walk = Files.walk(s3Dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Override
    protected StorageBackend createBackend(DuplicatePolicy policy) {
        int n = N.incrementAndGet();
        Path dir = tempDir.resolve("hsm-" + n);
        String bucket = "hsm-cold-" + n;
        s3.createBucket(bucket);
        CloudStorageConfig cold = CloudStorageConfig.forBucket(bucket).withEndpointUrl(s3.endpoint().toString())
                .withRegion(s3.region()).withCredentials(s3.accessKey(), s3.secretKey()).withDuplicatePolicy(policy);
        AzureStorageConfig warm = AzureStorageConfig.builder("hsm-warm-" + n, azurite.connectionString())
                .createContainer(true).duplicatePolicy(policy).build();
        Map<StorageTier, org.pacs.storage.blob.BlobStore> tiers = new EnumMap<>(StorageTier.class);
        tiers.put(StorageTier.HOT, new org.pacs.storage.file.FileBlobStore(FileStorageConfig.of(dir.resolve("hot"))));
        tiers.put(StorageTier.WARM, new org.pacs.storage.azure.AzureBlobStore(warm, dir.resolve("spool-warm")));
        tiers.put(StorageTier.COLD, new org.pacs.storage.s3.S3BlobStore(cold, dir.resolve("spool-cold")));
        return new HsmStorage(tiers, JdbcInstanceCatalog.sqlite(dir.resolve("catalog.db")),
                HsmStorageConfig.defaults().withNodeId("cloud-contract").withDuplicatePolicy(policy));
    }

    /** Contract instances live in the hot tier (stores go there); its files are what the hooks damage. */
    @Override
    protected Path storedFile(StorageBackend b, StoredInstance i) {
        FileStorageConfig c = ((org.pacs.storage.file.FileBlobStore) ((HsmStorage) b).tierStore(StorageTier.HOT))
                .config();
        return c.root().resolve(c.layout().relativePath(i));
    }

    /** The large instance goes through the hot FileStorage exactly as in HsmFileContractTest; not repeated. */
    @Override
    protected boolean runLargeInstanceTest() {
        return false;
    }

    @Override
    protected ForkedBackend forkedBackend(Path scratchDir) {
        throw new UnsupportedOperationException("large-instance test runs in HsmFileContractTest");
    }

    @Test
    void instancesMoveThroughAzureAndS3ByteForByte() throws Exception {
        HsmStorage hsm = (HsmStorage) backend;
        List<StoredInstance> stored = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            stored.add(hsm.store(new ByteArrayInputStream(
                    SyntheticInstances.bytes(SyntheticInstances.header(), 4096 + 2 * i, i))));
        }
        for (StorageTier target : List.of(StorageTier.WARM, StorageTier.COLD, StorageTier.HOT)) {
            for (StoredInstance s : stored) {
                assertThat(hsm.migrate(s.sopInstanceUid(), target)).isTrue();
                try (InputStream in = hsm.open(s.sopInstanceUid())) {
                    assertThat(Digests.sha256(in)).isEqualTo(s.sha256());
                }
                for (StorageTier t : StorageTier.values()) {
                    assertThat(hsm.tierHolds(t, s)).as(t.name()).isEqualTo(t == target);
                }
            }
        }
        assertThat(hsm.getHsmStatistics().migrationsCompleted()).isEqualTo(15);
        assertThat(hsm.verifyIntegrity().isClean()).isTrue();
    }
}
