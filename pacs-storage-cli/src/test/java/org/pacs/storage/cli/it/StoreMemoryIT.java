package org.pacs.storage.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code store}'s memory does not grow with the number of files: 10,000 tiny instances go through the real jar in
 * a 16 MiB heap, as text and again as --json (the JSON document streamed, 10,000 entries long). The version that
 * listed every path and kept every outcome ran out of memory on these 10,000 at 16 MiB (and on 20,000 at 32 MiB).
 * The hot tier runs without fsync because memory is the point; durability under concurrency is ParallelStoreIT's.
 */
class StoreMemoryIT {

    private static final int FILES = 10_000;

    @TempDir
    Path dir;

    @Test
    void tenThousandFilesStoreInASixteenMebibyteHeap() throws Exception {
        Files.writeString(dir.resolve("pacs-storage.yaml"), """
                tiers:
                  hot:
                    type: file
                    root: pacs-archive/hot
                    fsync: false
                """);
        Cli cli = new Cli(dir);
        Cli.Result g = cli.run("generate", "-o", "in", "--studies", "1", "--series", "1", "--instances",
                Integer.toString(FILES), "--bytes", "16");
        assertThat(g.exit()).as(g.toString()).isZero();

        Cli small = new Cli(dir).jvm("-Xmx16m");
        Cli.Result r = small.run("store", "--threads", "8", "in");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Stored " + FILES + " of " + FILES + " files");
        assertThat(r.err()).doesNotContain("OutOfMemoryError");

        // every file again (identical: kept as stored), now with every instance in the output
        Cli.Result j = small.run("store", "--json", "--threads", "8", "in");
        assertThat(j.exit()).as(j.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(j.out());
        assertThat(doc.get("stored").asLong()).isEqualTo(FILES);
        assertThat(doc.get("failed").asLong()).isZero();
        assertThat(doc.get("instances")).hasSize(FILES);
        assertThat(doc.get("failures")).isEmpty();

        assertThat(cli.run("stats", "--json").out()).contains("\"totalInstances\": " + FILES);
    }
}
