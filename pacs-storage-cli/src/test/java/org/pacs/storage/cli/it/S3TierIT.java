package org.pacs.storage.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.testkit.s3.S3MockServer;

/** The README's cloud setup for real: a cold tier on S3 (S3Mock, started here on 127.0.0.1). */
class S3TierIT {

    @TempDir
    Path dir;

    @Test
    void instancesMigrateToAnS3ColdTierAndComeBackByteIdentical() throws Exception {
        try (S3MockServer s3 = S3MockServer.start(dir.resolve("s3mock"))) {
            s3.createBucket("dicom-cold");
            Files.writeString(dir.resolve("pacs-storage.yaml"), """
                    tiers:
                      hot:
                        type: file
                        root: archive/hot
                      cold:
                        type: s3
                        bucket-name: dicom-cold
                        region: us-east-1
                        access-key-id: %s
                        secret-access-key: ${S3_SECRET}
                        endpoint-url: %s
                    """.formatted(s3.accessKey(), s3.endpoint()));
            Cli cli = new Cli(dir).env("S3_SECRET", s3.secretKey());
            assertThat(cli.run("generate", "-o", "in", "--instances", "3", "--bytes", "30000").exit()).isZero();
            Path source = GenerateIT.files(dir.resolve("in")).get(0);
            String uid = DicomReader.readHeader(source).dataset().getUid(Tag.SOPInstanceUID).orElseThrow();
            assertThat(cli.run("store", "in").exit()).isZero();

            Cli.Result m = cli.run("migrate", uid, "--to", "cold");
            assertThat(m.exit()).as(m.toString()).isZero();
            assertThat(cli.run("tier", uid).out().strip()).isEqualTo("cold");
            assertThat(cli.run("retrieve", uid, "-o", "-").stdoutBytes()).isEqualTo(Files.readAllBytes(source));
            Cli.Result stats = cli.run("stats", "--json");
            assertThat(stats.out()).containsPattern("\"cold\": \\{\\s*\"type\": \"s3\",\\s*\"instances\": 1");
            assertThat(cli.run("config", "show").out()).contains("secret-access-key: '********'")
                    .doesNotContain(s3.secretKey());
        }
    }
}
