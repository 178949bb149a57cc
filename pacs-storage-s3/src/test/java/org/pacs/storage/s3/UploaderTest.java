package org.pacs.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pacs.storage.ProgressListener;
import org.pacs.storage.testkit.s3.S3TestServer;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

class UploaderTest {

    @TempDir
    Path tmp;

    static S3TestServer server(String name) {
        return name.equals("s3mock") ? Servers.s3mock() : Servers.s3proxy();
    }

    @ParameterizedTest
    @ValueSource(strings = {"s3mock", "s3proxy"})
    void singleAndMultipartRoundTrip(String serverName) throws IOException {
        S3TestServer server = server(serverName);
        CloudStorageConfig cfg = Servers.configFor(server, "uploader-" + serverName)
                .withMultipart(6 * CloudStorageConfig.MIB, 5 * CloudStorageConfig.MIB).withMaxConnections(3);
        byte[] small = new byte[1000];
        byte[] big = new byte[(int) (13 * CloudStorageConfig.MIB)];
        new Random(1).nextBytes(small);
        new Random(2).nextBytes(big);
        Path fs = Files.write(tmp.resolve("small"), small);
        Path fb = Files.write(tmp.resolve("big"), big);
        ExecutorService ex = Executors.newFixedThreadPool(3);
        try (S3Client s3 = S3ClientFactory.create(cfg)) {
            S3Errors errors = new S3Errors(cfg);
            Uploader up = new Uploader(s3, cfg, ex, errors, new PendingAborts(s3, cfg.bucketName()));
            up.upload(fs, small.length, new Uploader.ObjectWrite("a/small.dcm", Map.of("sha256", "x"), "STANDARD",
                    false, null), ProgressListener.NONE);
            up.upload(fb, big.length, new Uploader.ObjectWrite("a/big.dcm", Map.of("sha256", "y"), "STANDARD",
                    false, null), ProgressListener.NONE);
            ResponseBytes<GetObjectResponse> r1 = s3.getObjectAsBytes(b -> b.bucket(cfg.bucketName()).key("a/small.dcm"));
            ResponseBytes<GetObjectResponse> r2 = s3.getObjectAsBytes(b -> b.bucket(cfg.bucketName()).key("a/big.dcm"));
            assertThat(r1.asByteArray()).isEqualTo(small);
            assertThat(r2.asByteArray()).isEqualTo(big);
            assertThat(r2.response().metadata()).containsEntry("sha256", "y");
            assertThat(s3.listMultipartUploads(b -> b.bucket(cfg.bucketName())).uploads()).isEmpty();
        } finally {
            ex.shutdownNow();
        }
    }
}
