package org.pacs.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlockListType;
import com.azure.storage.blob.specialized.BlockBlobClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.testkit.azure.AzuriteServer;

/** The uploader on its own against Azurite: both paths byte-identical, block IDs as Azure wants them. */
class BlockUploaderTest {

    private static AzuriteServer azurite;
    private static ExecutorService pool;
    private static BlobContainerClient container;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        azurite = AzuriteServer.start();
        pool = Executors.newFixedThreadPool(4);
        container = AzureConnection.open(AzureStorageConfig.builder("uploads", azurite.connectionString())
                .build()).containerClient();
        container.create();
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
        azurite.close();
    }

    @Test
    void smallFileGoesUpInOnePutWithMetadataAndTier() throws Exception {
        Path file = randomFile(300_000);
        BlockBlobClient blob = container.getBlobClient("a/one.dcm").getBlockBlobClient();
        int requests = new BlockUploader(1_000_000, 100_000, 4, pool).upload(blob, file, Files.size(file),
                attrs(AccessTier.COOL));
        assertThat(requests).isEqualTo(1);
        assertThat(sha(blob.openInputStream())).isEqualTo(sha(Files.newInputStream(file)));
        assertThat(blob.getProperties().getMetadata()).containsEntry("k", "v");
        assertThat(blob.getProperties().getAccessTier()).isEqualTo(AccessTier.COOL);
    }

    @Test
    void largeFileGoesUpAsEqualLengthBlocks() throws Exception {
        Path file = randomFile(1_050_001);
        BlockBlobClient blob = container.getBlobClient("a/blocks.dcm").getBlockBlobClient();
        int requests = new BlockUploader(1_000_000, 100_000, 3, pool).upload(blob, file, Files.size(file),
                attrs(AccessTier.HOT));
        assertThat(requests).isEqualTo(11 + 1);
        assertThat(sha(blob.openInputStream())).isEqualTo(sha(Files.newInputStream(file)));
        var committed = blob.listBlocks(BlockListType.COMMITTED).getCommittedBlocks();
        assertThat(committed).hasSize(11);
        assertThat(committed).extracting(b -> b.getName().length()).containsOnly(committed.get(0).getName().length());
        assertThat(blob.getProperties().getMetadata()).containsEntry("k", "v");
    }

    @Test
    void blockSizeGrowsToStayWithinFiftyThousandBlocks() {
        BlockUploader u = new BlockUploader(0, 4, 1, pool);
        assertThat(u.effectiveBlockSize(400_000)).isEqualTo(8);
        assertThat(u.effectiveBlockSize(100)).isEqualTo(4);
    }

    @Test
    void blockIdsAreUniquePerUploadAndOfEqualLength() {
        var a = BlockUploader.blockIds(1000);
        var b = BlockUploader.blockIds(1000);
        assertThat(a).doesNotHaveDuplicates().doesNotContainAnyElementsOf(b);
        assertThat(a).extracting(String::length).containsOnly(a.get(0).length());
    }

    @Test
    void fileShorterThanAnnouncedFailsWithoutCommitting() throws Exception {
        Path file = randomFile(250_000);
        BlockBlobClient blob = container.getBlobClient("a/short.dcm").getBlockBlobClient();
        assertThatThrownBy(() -> new BlockUploader(100_000, 100_000, 2, pool)
                .upload(blob, file, 400_000, attrs(AccessTier.HOT)))
                .hasStackTraceContaining("changed while uploading");
        assertThat(blob.exists()).isFalse();
    }

    private static BlockUploader.BlobAttributes attrs(AccessTier tier) {
        return new BlockUploader.BlobAttributes(new BlobHttpHeaders().setContentType("application/dicom"),
                Map.of("k", "v"), tier, null);
    }

    private Path randomFile(int size) throws IOException {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        Path p = Files.createTempFile(tmp, "blob", ".bin");
        try (OutputStream out = Files.newOutputStream(p)) {
            out.write(b);
        }
        return p;
    }

    static String sha(InputStream in) throws Exception {
        try (in) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        }
    }
}
