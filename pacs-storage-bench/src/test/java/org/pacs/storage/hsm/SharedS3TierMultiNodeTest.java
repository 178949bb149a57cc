package org.pacs.storage.hsm;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.s3.CloudStorageConfig;
import org.pacs.storage.s3.S3Storage;
import org.pacs.storage.testkit.s3.S3MockServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The two-node test exactly as production shares tiers: two JVMs on one PostgreSQL catalog, one shared hot file
 * root, and one S3 bucket (S3Mock) as the shared warm tier. Lives in the bench module, the one that has core's
 * test fixtures and the S3 backend together.
 */
class SharedS3TierMultiNodeTest extends AbstractMultiNodeMigrationTest {

    private static final String BUCKET = "two-nodes-warm";
    private static S3MockServer s3;
    private static Path s3Dir;

    @BeforeAll
    static void startS3() throws Exception {
        s3Dir = Files.createTempDirectory("two-nodes-s3mock-");
        s3 = S3MockServer.start(s3Dir);
        s3.createBucket(BUCKET);
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    private CloudStorageConfig config() {
        return CloudStorageConfig.forBucket(BUCKET).withEndpointUrl(s3.endpoint().toString()).withRegion(s3.region())
                .withCredentials(s3.accessKey(), s3.secretKey());
    }

    @Override
    protected String warmSpec() {
        return "spi:s3;bucket-name=" + BUCKET + ";endpoint-url=" + s3.endpoint() + ";region=" + s3.region()
                + ";access-key-id=" + s3.accessKey() + ";secret-access-key=" + s3.secretKey() + ";spool-dir="
                + dir.resolve("s3-spool");
    }

    @Override
    protected StorageBackend warmBackend() {
        return new S3Storage(config(), dir.resolve("s3-spool"));
    }

    @Override
    protected Set<String> warmUids() {
        try (S3Client raw = S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true)
                .region(Region.of(s3.region())).credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(s3.accessKey(), s3.secretKey()))).build()) {
            return raw.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
                    .map(o -> o.key().substring(o.key().lastIndexOf('/') + 1).replace(".dcm", ""))
                    .collect(Collectors.toSet());
        }
    }
}
