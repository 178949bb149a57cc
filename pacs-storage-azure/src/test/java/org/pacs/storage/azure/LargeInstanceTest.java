package org.pacs.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlockListType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.testkit.azure.AzuriteServer;

/** Bounded memory: a 300 MB instance goes up as staged blocks and comes back identical in a 256 MB heap. */
class LargeInstanceTest {

    private static final long PIXELS = 300L * 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void threeHundredMegabytesRoundTripInAForkedJvmWithSmallHeap() throws Exception {
        try (AzuriteServer azurite = AzuriteServer.start()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path log = tmp.resolve("child.log");
            Process child = new ProcessBuilder(List.of(java, "-Xmx256m", "-cp", cp, LargeRoundTrip.class.getName(),
                    azurite.connectionString(), "large", tmp.resolve("spool").toString(), Long.toString(PIXELS)))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean done = child.waitFor(5, TimeUnit.MINUTES);
            if (!done) {
                child.destroyForcibly();
            }
            String out = Files.readString(log);
            assertThat(done).as("child finished within 5 minutes:\n%s", out).isTrue();
            assertThat(child.exitValue()).as("child output:\n%s", out).isZero();
            Matcher heap = Pattern.compile("maxHeap=(\\d+)").matcher(out);
            assertThat(heap.find()).isTrue();
            assertThat(Long.parseLong(heap.group(1))).isLessThanOrEqualTo(256L * 1024 * 1024).isLessThan(PIXELS);

            Matcher m = Pattern.compile("blob=(\\S+)").matcher(out);
            assertThat(m.find()).isTrue();
            var blob = new BlobServiceClientBuilder().connectionString(azurite.connectionString()).buildClient()
                    .getBlobContainerClient("large").getBlobClient(m.group(1)).getBlockBlobClient();
            long size = blob.getProperties().getBlobSize();
            assertThat(size).isGreaterThan(PIXELS);
            // Default block size 4 MiB: the 100 MiB threshold was crossed, so it went up in blocks.
            assertThat(blob.listBlocks(BlockListType.COMMITTED).getCommittedBlocks())
                    .hasSize((int) ((size + 4 * 1024 * 1024 - 1) / (4 * 1024 * 1024)));
        }
    }
}
