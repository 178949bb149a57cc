package org.pacs.storage.bench;

import static org.pacs.storage.bench.CloudBench.deleteTree;
import static org.pacs.storage.bench.CloudBench.generate;
import static org.pacs.storage.bench.CloudBench.row;
import static org.pacs.storage.bench.CloudBench.timed;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.bench.CloudBench.Figure;
import org.pacs.storage.bench.CloudBench.InstanceSet;
import org.pacs.storage.s3.CloudStorageConfig;
import org.pacs.storage.s3.KeyLayout;
import org.pacs.storage.s3.S3Storage;
import org.pacs.storage.testkit.s3.S3MockServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * S3Storage against a plain SDK PutObject/GetObject loop, same S3Mock, same files, same number of threads:
 * 1,000 small instances and 10 instances of 200 MB, store then retrieve, printed as MB/s and as the ratio
 * S3Storage / plain SDK (goal: at least 0.8). The S3Storage side does everything a store must (SHA-256,
 * header parse, metadata, checksummed parts); the plain side only moves bytes.
 * <p>Arguments (all optional): {@code smallCount largeCount largeMiB threads}; defaults 1000 10 200 8.
 */
public final class S3Bench {

    private S3Bench() {
    }



    public static void main(String[] args) throws Exception {
        int smallCount = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int largeCount = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        long largeMiB = args.length > 2 ? Long.parseLong(args[2]) : 200;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        Path work = Files.createTempDirectory("s3bench-");
        try (S3MockServer server = S3MockServer.start(work.resolve("server"))) {
            System.out.printf(Locale.ROOT, "S3Bench: S3Mock at %s, %d threads%n", server.endpoint(), threads);
            InstanceSet small = generate(work.resolve("small"), smallCount, 64 * 1024, 1);
            InstanceSet large = generate(work.resolve("large"), largeCount, largeMiB << 20, 2);
            // Warm both paths (JIT, connection pools, S3Mock) on a slice of the small set, unmeasured.
            InstanceSet warm = small.slice(100);
            runPlain(server, "warm-plain", warm, threads);
            runStorage(server, work, "warm-storage", warm, threads);

            Figure plainSmall = runPlain(server, "small-plain", small, threads);
            Figure storageSmall = runStorage(server, work, "small-storage", small, threads);
            Figure plainLarge = runPlain(server, "large-plain", large, threads);
            Figure storageLarge = runStorage(server, work, "large-storage", large, threads);

            System.out.println();
            System.out.printf(Locale.ROOT, "%-32s %12s %12s %8s%n", "case", "S3Storage", "plain SDK", "ratio");
            row(String.format(Locale.ROOT, "store %d x %d KiB", smallCount, 64), storageSmall.storeMBs(), plainSmall.storeMBs());
            row(String.format(Locale.ROOT, "retrieve %d x %d KiB", smallCount, 64), storageSmall.retrieveMBs(), plainSmall.retrieveMBs());
            row(String.format(Locale.ROOT, "store %d x %d MiB", largeCount, largeMiB), storageLarge.storeMBs(), plainLarge.storeMBs());
            row(String.format(Locale.ROOT, "retrieve %d x %d MiB", largeCount, largeMiB), storageLarge.retrieveMBs(), plainLarge.retrieveMBs());
            System.out.println("(MB/s = 10^6 bytes per second of instance bytes; ratio = S3Storage / plain SDK, goal >= 0.8)");
        } finally {
            deleteTree(work);
        }
    }



    private static CloudStorageConfig config(S3MockServer server, String bucket, int threads) {
        server.createBucket(bucket);
        return CloudStorageConfig.forBucket(bucket).withEndpointUrl(server.endpoint().toString())
                .withRegion(server.region()).withCredentials(server.accessKey(), server.secretKey())
                .withMaxConnections(threads).withTimeouts(3000, 300_000);
    }

    private static Figure runStorage(S3MockServer server, Path work, String bucket, InstanceSet set, int threads)
            throws Exception {
        CloudStorageConfig c = config(server, bucket, threads);
        // -Ds3bench.multipartThreshold=... (bytes) separates the cost of multipart itself from the rest
        long threshold = Long.getLong("s3bench.multipartThreshold", c.multipartThreshold());
        try (S3Storage s = new S3Storage(c.withMultipart(threshold, c.partSize()), work.resolve("spool"))) {
            double store = timed(set, threads, i -> s.store(set.files().get(i)));
            double retrieve = timed(set, threads, i -> {
                try (InputStream in = s.open(SopInstanceUid.of(set.uids().get(i)[2]))) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            });
            System.out.printf(Locale.ROOT, "  %s: store %.1f MB/s, retrieve %.1f MB/s%n", bucket, store, retrieve);
            return new Figure(store, retrieve);
        }
    }

    /**
     * The baseline: the same HTTP client, pool size, socket timeout and retry mode S3Storage uses, and
     * nothing but PutObject/GetObject of whole files.
     */
    private static Figure runPlain(S3MockServer server, String bucket, InstanceSet set, int threads) throws Exception {
        CloudStorageConfig c = config(server, bucket, threads);
        KeyLayout layout = c.keyLayout();
        try (S3Client s3 = S3Client.builder().region(Region.of(c.region())).endpointOverride(server.endpoint())
                .forcePathStyle(true).httpClientBuilder(ApacheHttpClient.builder().maxConnections(threads)
                        .socketTimeout(Duration.ofMillis(c.requestTimeoutMs())))
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey()))).build()) {
            double store = timed(set, threads, i -> {
                String[] u = set.uids().get(i);
                s3.putObject(b -> b.bucket(bucket).key(layout.keyFor(u[0], u[1], SopInstanceUid.of(u[2]))),
                        RequestBody.fromFile(set.files().get(i)));
            });
            double retrieve = timed(set, threads, i -> {
                String[] u = set.uids().get(i);
                try (InputStream in = s3.getObject(b -> b.bucket(bucket)
                        .key(layout.keyFor(u[0], u[1], SopInstanceUid.of(u[2]))))) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
            });
            System.out.printf(Locale.ROOT, "  %s: store %.1f MB/s, retrieve %.1f MB/s%n", bucket, store, retrieve);
            return new Figure(store, retrieve);
        }
    }




}
