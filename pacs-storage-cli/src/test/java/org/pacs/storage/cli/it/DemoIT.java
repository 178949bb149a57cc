package org.pacs.storage.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoIT {

    @TempDir
    Path dir;

    @Test
    void theReadmeJobRunsEveryStepOnTheEmbeddedDefault() {
        Cli cli = new Cli(dir);
        Cli.Result r = cli.run("demo");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).containsSubsequence("generate", "store", "find", "migrate", "stats");
        assertThat(r.out()).contains("-> warm").contains("-> cold");
        assertThat(dir.resolve("pacs-archive")).isDirectory();

        Cli.Result stats = cli.run("stats", "--json");
        assertThat(Cli.jsonField(stats.out(), "totalInstances")).isEqualTo("80");
        assertThat(stats.out()).containsPattern("\"warm\": \\{\\s*\"type\": \"file\",\\s*\"instances\": 20");
        assertThat(stats.out()).containsPattern("\"cold\": \\{\\s*\"type\": \"file\",\\s*\"instances\": 20");
    }
}
