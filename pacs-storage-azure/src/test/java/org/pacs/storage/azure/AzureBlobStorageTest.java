package org.pacs.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobProperties;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.ArchivalBackend.RestorePriority;
import org.pacs.storage.QueryLevel;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.index.InstanceMetadata;
import org.pacs.storage.spool.InstanceSpooler;
import org.pacs.storage.testkit.azure.AzuriteServer;

/** Azure-specific behaviour against a real Azurite: naming, metadata, index rebuild, tiers, concurrency. */
class AzureBlobStorageTest {

    private static final AtomicInteger CONTAINERS = new AtomicInteger();
    private static AzuriteServer azurite;

    @TempDir
    Path spool;

    @BeforeAll
    static void start() {
        azurite = AzuriteServer.start();
    }

    @AfterAll
    static void stop() {
        azurite.close();
    }

    private AzureStorageConfig.Builder config() {
        return AzureStorageConfig.builder("t" + CONTAINERS.incrementAndGet() + "-c", azurite.connectionString())
                .createContainer(true);
    }

    private AzureBlobStorage open(AzureStorageConfig config) {
        return new AzureBlobStorage(config, spool);
    }

    private AzureBlobStorage open(UnaryOperator<AzureStorageConfig.Builder> tweak) {
        return open(tweak.apply(config()).build());
    }

    @Test
    void storesUnderStudySeriesSopNameWithMetadataAndConfiguredTier() throws Exception {
        AzureStorageConfig config = config().blobPrefix("pacs/").accessTier(AzureAccessTier.COOL).build();
        try (AzureBlobStorage s = open(config)) {
            DicomDataset ds = TestInstances.dataset("DOE^JANE");
            StoredInstance stored = s.store(ds);
            String name = "pacs/" + stored.studyInstanceUid() + "/" + stored.seriesInstanceUid() + "/"
                    + stored.sopInstanceUid() + ".dcm";
            BlobProperties p = sdk(config).getBlobClient(name).getProperties();
            assertThat(p.getMetadata()).containsEntry(InstanceMetadata.SHA256, stored.sha256())
                    .containsEntry(InstanceMetadata.SOP, stored.sopInstanceUid().value())
                    .containsEntry(InstanceMetadata.TRANSFER_SYNTAX, "1.2.840.10008.1.2.1");
            assertThat(p.getContentType()).isEqualTo("application/dicom");
            assertThat(s.storageClass(stored.sopInstanceUid())).isEqualTo("Cool");
            assertThat(s.retrieve(stored.sopInstanceUid()).getString(Tag.PatientName)).contains("DOE^JANE");
            assertThat(s.isConnected()).isTrue();
        }
    }

    @Test
    void rebuildIndexRestoresRecordsAndQueryAttributesFromTheContainer() throws Exception {
        AzureStorageConfig config = config().hashedLayout(true).blobPrefix("x/").build();
        String study = UidGenerator.newUid();
        String series = UidGenerator.newUid();
        StoredInstance big;
        try (AzureBlobStorage s = open(config)) {
            s.store(TestInstances.dataset(study, series, UidGenerator.newUid(), "SMITH^A"));
            s.store(TestInstances.dataset("OTHER^B"));
            var gen = TestInstances.large(TestInstances.dataset(study, series, UidGenerator.newUid(), "SMITH^A"),
                    3_000_000, 7);
            big = s.store(gen);
            assertThat(big.sha256()).isEqualTo(gen.sha256Hex());
        }
        String hash = BlobNaming.hash(study);
        assertThat(sdk(config).listBlobs().stream().map(b -> b.getName()))
                .contains("x/" + hash + "/" + study + "/" + series + "/" + big.sopInstanceUid() + ".dcm");
        sdk(config).getBlobClient("x/not-ours.txt").upload(new ByteArrayInputStream(new byte[] {1, 2}), 2);
        try (AzureBlobStorage reopened = open(config)) {
            assertThat(reopened.list()).hasSize(3);
            assertThat(reopened.describe(big.sopInstanceUid())).contains(big);
            DicomDataset q = new DicomDataset().setString(Tag.PatientName, "SMITH^A")
                    .setString(Tag.QueryRetrieveLevel, "IMAGE").setString(Tag.SOPInstanceUID, "");
            assertThat(reopened.find(q)).hasSize(2);
            assertThat(reopened.statistics().studiesCount()).isEqualTo(2);
            var report = reopened.verifyIntegrity();
            assertThat(report.checked()).isEqualTo(3);
            assertThat(report.corrupt()).isEmpty();
            assertThat(report.orphaned()).containsExactly("hot:x/not-ours.txt");
        }
    }

    @Test
    void archivedInstanceIsRefusedUntilRestored() throws Exception {
        AzureStorageConfig config = config().build();
        try (AzureBlobStorage s = open(config)) {
            StoredInstance a = s.store(TestInstances.dataset("ARCHIVED^ONE"));
            s.setAccessTier(a.sopInstanceUid(), AzureAccessTier.ARCHIVE);
            assertThat(s.restoreStatus(a.sopInstanceUid()).state()).isEqualTo(RestoreStatus.State.ARCHIVED);
            assertThat(s.isArchiveClass(s.storageClass(a.sopInstanceUid()))).isTrue();
            assertThatThrownBy(() -> s.open(a.sopInstanceUid()))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ARCHIVED))
                    .hasMessageContaining(a.sopInstanceUid().value()).hasMessageContaining("requestRestore");
            assertThatThrownBy(() -> s.retrieve(a.sopInstanceUid()))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ARCHIVED));
            var report = s.verifyIntegrity();
            assertThat(report.isClean()).isTrue();
            assertThat(report.checked()).as("an archived blob cannot be hashed until restored").isZero();
            try (AzureBlobStorage reopened = open(config)) {
                // The header of an archived blob cannot be read; it is indexed from its metadata alone.
                assertThat(reopened.describe(a.sopInstanceUid())).contains(a);
            }

            RestoreStatus after = s.requestRestore(a.sopInstanceUid(), 1, RestorePriority.EXPEDITED);
            // Azurite rehydrates at once; Azure would report IN_PROGRESS (rehydrate-pending-to-hot) for hours.
            assertThat(after.state()).isIn(RestoreStatus.State.NOT_ARCHIVED, RestoreStatus.State.IN_PROGRESS);
            assertThat(s.restoreStatus(a.sopInstanceUid()).readable()).isTrue();
            assertThat(s.storageClass(a.sopInstanceUid())).isEqualTo("Hot");
            assertThat(TestInstances.sha256(s.open(a.sopInstanceUid()))).isEqualTo(a.sha256());
        }
    }

    @Test
    void setsTiersForAWholeSeriesOrStudy() {
        try (AzureBlobStorage s = open(b -> b)) {
            String study = UidGenerator.newUid();
            String series1 = UidGenerator.newUid();
            String series2 = UidGenerator.newUid();
            List<StoredInstance> in1 = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                in1.add(s.store(TestInstances.dataset(study, series1, UidGenerator.newUid(), "P^Q")));
            }
            StoredInstance other = s.store(TestInstances.dataset(study, series2, UidGenerator.newUid(), "P^Q"));
            assertThat(s.setAccessTier(QueryLevel.SERIES, series1, AzureAccessTier.COLD)).isEqualTo(3);
            assertThat(in1).allSatisfy(i -> assertThat(s.accessTier(i.sopInstanceUid())).isEqualTo(AzureAccessTier.COLD));
            assertThat(s.accessTier(other.sopInstanceUid())).isEqualTo(AzureAccessTier.HOT);
            assertThat(s.setAccessTier(QueryLevel.STUDY, study, AzureAccessTier.COOL)).isEqualTo(4);
            assertThat(s.storageClass(other.sopInstanceUid())).isEqualTo("Cool");
            s.changeStorageClass(other.sopInstanceUid(), "archive");
            assertThat(s.storageClass(other.sopInstanceUid())).isEqualTo("Archive");
            assertThatThrownBy(() -> s.setAccessTier(QueryLevel.SERIES, UidGenerator.newUid(), AzureAccessTier.HOT))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
        }
    }

    @Test
    void eightThreadsStoreAndReadBackConcurrently() throws Exception {
        // Small threshold and blocks so the threads exercise the staged-block path side by side too.
        try (AzureBlobStorage s = open(b -> b.blockUploadThreshold(200_000).blockSize(64 * 1024).maxConcurrency(3))) {
            ExecutorService threads = Executors.newFixedThreadPool(8);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                Callable<List<String>> work = () -> {
                    go.await();
                    List<String> problems = new ArrayList<>();
                    for (int i = 0; i < 2; i++) {
                        var gen = TestInstances.large(TestInstances.dataset("T" + thread + "^" + i),
                                i % 2 == 0 ? 10_000 : 250_000, thread * 100L + i);
                        StoredInstance st = s.store(gen);
                        String back = TestInstances.sha256(s.open(st.sopInstanceUid()));
                        if (!back.equals(gen.sha256Hex()) || !st.sha256().equals(back)) {
                            problems.add(st.sopInstanceUid() + " came back different");
                        }
                    }
                    return problems;
                };
                results.add(threads.submit(work));
            }
            go.countDown();
            for (Future<List<String>> f : results) {
                assertThat(f.get()).isEmpty();
            }
            threads.shutdown();
            assertThat(s.list()).hasSize(16);
            assertThat(s.verifyIntegrity().isClean()).isTrue();
        }
    }

    @Test
    void duplicatePoliciesHoldAcrossTwoProcessesSharingAContainer() {
        AzureStorageConfig config = config().build();
        DicomDataset ds = TestInstances.dataset("DUP^ONE");
        DicomDataset sameUidOtherBytes = ds.copy().setString(Tag.PatientName, "DUP^OTHER");
        // Both open before anything is stored, so neither index knows what the other wrote.
        try (AzureBlobStorage first = open(config); AzureBlobStorage second = open(config);
             AzureBlobStorage strict = open(config.withDuplicatePolicy(org.pacs.storage.DuplicatePolicy.REJECT))) {
            StoredInstance a = first.store(ds);
            assertThat(second.store(ds).sha256()).as("identical resend through another process").isEqualTo(a.sha256());
            assertThatThrownBy(() -> second.store(sameUidOtherBytes))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS));
            assertThatThrownBy(() -> strict.store(ds))
                    .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS));
            assertThat(TestInstances.sha256(second.open(a.sopInstanceUid()))).isEqualTo(a.sha256());
        }
    }

    static com.azure.storage.blob.BlobContainerClient sdk(AzureStorageConfig config) {
        return new BlobServiceClientBuilder().connectionString(config.connectionString()).buildClient()
                .getBlobContainerClient(config.containerName());
    }

    static Map<String, String> settings() {
        return Map.of("container-name", "c1", "connection-string", azurite.connectionString());
    }
}
