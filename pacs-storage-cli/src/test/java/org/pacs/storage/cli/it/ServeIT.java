package org.pacs.storage.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.Tag;

class ServeIT {

    @TempDir
    Path dir;

    @Test
    void runsCyclesUntilSigtermThenStopsCleanly() throws Exception {
        Files.writeString(dir.resolve("pacs-storage.yaml"), """
                hsm:
                  policy:
                    hot-to-warm: 0s
                    warm-to-cold: 3650d
                migration:
                  migration-interval: 1s
                  max-concurrent-migrations: 2
                """);
        Cli cli = new Cli(dir);
        assertThat(cli.run("generate", "-o", "in", "--instances", "4", "--bytes", "4096").exit()).isZero();
        assertThat(cli.run("store", "in").exit()).isZero();
        String uid = DicomReader.readHeader(GenerateIT.files(dir.resolve("in")).get(0)).dataset()
                .getUid(Tag.SOPInstanceUID).orElseThrow();

        Path out = dir.resolve("serve.out");
        Path err = dir.resolve("serve.err");
        Process p = cli.start(out, err, "serve");
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.readString(out).contains("cycle 1:"));
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }

        String log = Files.readString(out);
        assertThat(log).contains("serving").contains("cycle 1:").contains("migrated")
                .contains("stopped cleanly");
        assertThat(p.exitValue()).as(log + Files.readString(err)).isIn(0, 143);
        assertThat(Files.readString(err)).doesNotContain("\tat ");
        assertThat(cli.run("tier", uid).out().strip()).isEqualTo("warm");
    }
}
