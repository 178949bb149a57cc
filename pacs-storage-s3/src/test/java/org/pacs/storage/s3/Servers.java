package org.pacs.storage.s3;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pacs.storage.testkit.s3.S3MockServer;
import org.pacs.storage.testkit.s3.S3ProxyServer;
import org.pacs.storage.testkit.s3.S3TestServer;

/**
 * One S3Mock and one S3Proxy per test JVM: S3Mock takes seconds to boot, and buckets per test class keep
 * the classes apart. The processes are killed by the fixtures' shutdown hooks when the JVM ends.
 */
final class Servers {

    private static S3TestServer s3mock;
    private static S3TestServer s3proxy;

    private Servers() {
    }

    static synchronized S3TestServer s3mock() {
        if (s3mock == null || !s3mock.isRunning()) {
            s3mock = S3MockServer.start(tempDir("s3mock"));
        }
        return s3mock;
    }

    static synchronized S3TestServer s3proxy() {
        if (s3proxy == null || !s3proxy.isRunning()) {
            s3proxy = S3ProxyServer.start(tempDir("s3proxy"));
        }
        return s3proxy;
    }

    static Path tempDir(String name) {
        try {
            Path base = Path.of(System.getProperty("java.io.tmpdir"));
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                base = Files.createDirectories(target.resolve("servers"));
            }
            return Files.createTempDirectory(base.toAbsolutePath(), name + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A config pointing at {@code server} with its keys and a bucket made for the caller. */
    static CloudStorageConfig configFor(S3TestServer server, String bucket) {
        server.createBucket(bucket);
        return CloudStorageConfig.forBucket(bucket).withEndpointUrl(server.endpoint().toString())
                .withRegion(server.region()).withCredentials(server.accessKey(), server.secretKey());
    }
}
