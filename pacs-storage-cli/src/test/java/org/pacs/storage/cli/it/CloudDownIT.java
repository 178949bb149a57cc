package org.pacs.storage.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A cloud tier whose endpoint refuses connections: a closed port on 127.0.0.1, the most common outage. */
class CloudDownIT {

    @TempDir
    Path dir;
    int closedPort;

    @BeforeEach
    void setUp() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        Cli.Result g = new Cli(dir).run("generate", "-o", "in", "--instances", "2", "--bytes", "4096");
        assertThat(g.exit()).as(g.toString()).isZero();
    }

    @Test
    void anS3TierThatIsDownFailsWithOneClearLineAndExitOne() throws Exception {
        Files.writeString(dir.resolve("pacs-storage.yaml"), """
                tiers:
                  hot:
                    type: s3
                    bucket-name: dicom
                    region: us-east-1
                    access-key-id: test
                    secret-access-key: test
                    endpoint-url: http://127.0.0.1:%d
                """.formatted(closedPort));

        assertFailsCleanly(new Cli(dir).run("store", "in"));
        assertFailsCleanly(new Cli(dir).run("stats"));
    }

    @Test
    void anAzureTierThatIsDownFailsWithOneClearLineAndExitOne() throws Exception {
        Files.writeString(dir.resolve("pacs-storage.yaml"), """
                tiers:
                  hot:
                    type: azure
                    container-name: dicom
                    connection-string: "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;\\
                AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;\\
                BlobEndpoint=http://127.0.0.1:%d/devstoreaccount1"
                    max-retries: 0
                """.formatted(closedPort));

        assertFailsCleanly(new Cli(dir).run("store", "in"));
        assertFailsCleanly(new Cli(dir).run("stats"));
    }

    private static void assertFailsCleanly(Cli.Result r) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).as(r.toString()).doesNotContain("\tat ").doesNotContain("Exception in thread");
        assertThat(r.err().lines().filter(l -> !l.isBlank()))
                .as(r.toString()).allMatch(l -> l.startsWith("pacs-storage: ") || l.startsWith("skipped "));
    }
}
