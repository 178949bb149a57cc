package org.pacs.storage.s3;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.testkit.AbstractStorageBackendTest;
import org.pacs.storage.testkit.ForkedBackend;
import org.pacs.storage.testkit.s3.S3TestServer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** The backend contract against one real S3 server; a fresh bucket per test keeps tests independent. */
abstract class AbstractS3ContractTest extends AbstractStorageBackendTest {

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private S3Client raw;

    /** The server this subclass runs against. */
    protected abstract S3TestServer server();

    /**
     * Small parts so the contract's ordinary instances already exercise multipart now and then, and the
     * forked 300 MB instance goes up in 8 MiB parts, 4 in flight.
     */
    protected CloudStorageConfig config(String bucket) {
        return Servers.configFor(server(), bucket)
                .withMultipart(16 * CloudStorageConfig.MIB, 8 * CloudStorageConfig.MIB).withMaxConnections(4);
    }

    protected String newBucket() {
        return server().name() + "-contract-" + ProcessHandle.current().pid() + "-" + BUCKETS.incrementAndGet();
    }

    @Override
    protected StorageBackend createBackend(DuplicatePolicy policy) {
        return new S3Storage(config(newBucket()).withDuplicatePolicy(policy), tempDir.resolve("spool"));
    }

    /** 300 MB: above the threshold with dozens of parts, yet quick enough to run on every build. */
    @Override
    protected long largeInstancePixelBytes() {
        return 300_000_000L;
    }

    @Override
    protected ForkedBackend forkedBackend(Path scratchDir) {
        CloudStorageConfig c = config(newBucket());
        Map<String, String> s = new LinkedHashMap<>();
        s.put(S3StorageProvider.BUCKET_NAME, c.bucketName());
        s.put(S3StorageProvider.ENDPOINT_URL, c.endpointUrl());
        s.put(S3StorageProvider.REGION, c.region());
        s.put(S3StorageProvider.ACCESS_KEY_ID, c.accessKeyId());
        s.put(S3StorageProvider.SECRET_ACCESS_KEY, c.secretAccessKey());
        s.put(S3StorageProvider.MULTIPART_THRESHOLD, "16MiB");
        s.put(S3StorageProvider.PART_SIZE, "8MiB");
        s.put(S3StorageProvider.MAX_CONNECTIONS, "4");
        s.put(S3StorageProvider.SPOOL_DIR, scratchDir.resolve("spool").toString());
        return new ForkedBackend("s3", s);
    }

    /** Rewrites the object with one byte flipped, keeping its metadata, as bit rot in the bucket would. */
    @Override
    protected void corruptStoredBytes(StorageBackend backend, StoredInstance instance) throws Exception {
        S3Storage s3 = (S3Storage) backend;
        String key = s3.keyOf(instance);
        String bucket = s3.config().bucketName();
        HeadObjectResponse head = raw(s3).headObject(b -> b.bucket(bucket).key(key));
        byte[] bytes = raw(s3).getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        bytes[bytes.length - 1] ^= 0x5A;
        raw(s3).putObject(b -> b.bucket(bucket).key(key).metadata(head.metadata()), RequestBody.fromBytes(bytes));
    }

    @Override
    protected void deleteStoredBytes(StorageBackend backend, StoredInstance instance) {
        S3Storage s3 = (S3Storage) backend;
        raw(s3).deleteObject(b -> b.bucket(s3.config().bucketName()).key(s3.keyOf(instance)));
    }

    /** A plain SDK client on the same server, to act behind the backend's back. */
    protected S3Client raw(S3Storage s3) {
        if (raw == null) {
            raw = S3ClientFactory.create(s3.config());
        }
        return raw;
    }

    @AfterEach
    void closeRaw() {
        if (raw != null) {
            raw.close();
            raw = null;
        }
    }
}
