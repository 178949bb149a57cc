package org.pacs.storage.s3;

import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * Builds the one {@link S3Client} a storage uses. Choices:
 * <ul>
 * <li>Sync client over the Apache HTTP client: it pools connections with a hard cap (max-connections, which
 *     also caps parts in flight), has separate connect and socket-read timeouts, and supports
 *     Expect: 100-continue so a refused PUT (wrong keys, missing bucket) fails before the body is sent. The
 *     URLConnection client has no pool cap and the async (Netty/CRT) stacks would bring threads and native
 *     code for no gain: parts are already uploaded from our own bounded executor.</li>
 * <li>Retries: the SDK's STANDARD retry mode (3 attempts, jittered backoff, throttling-aware). Nothing retries
 *     on top of it, so an error surfaces after the SDK's budget and not a multiple of it.</li>
 * <li>Bodies go plain, with Content-Length, not aws-chunked: the SDK reads each body (always a re-readable
 *     spool file range) once more before sending to compute the CRC32 (and over plain HTTP the SigV4 payload
 *     hash) in one pass, and sends it as the x-amz-checksum-crc32 header, which the server verifies just
 *     like the trailer. Aws-chunked framing must be decoded chunk by chunk on the server: against S3Mock
 *     that decoding was the largest server cost of a part (58% of its CPU samples), and it made the 200 MB
 *     multipart store 0.5-0.6 of a plain PutObject (S3Bench). Plain bodies are also the form every
 *     S3-compatible store understands; not all accept trailing checksums.</li>
 * <li>request-timeout-ms bounds each attempt (and the socket read inactivity), not the whole call: a 5 GiB
 *     part-by-part upload must not be cut off by a per-request limit.</li>
 * </ul>
 */
final class S3ClientFactory {

    private S3ClientFactory() {
    }

    static S3Client create(CloudStorageConfig config) {
        Duration connect = Duration.ofMillis(config.connectTimeoutMs());
        Duration request = Duration.ofMillis(config.requestTimeoutMs());
        ApacheHttpClient.Builder http = ApacheHttpClient.builder()
                .maxConnections(config.maxConnections())
                .connectionTimeout(connect)
                .socketTimeout(request)
                .connectionAcquisitionTimeout(request)
                .expectContinueEnabled(true);
        var builder = S3Client.builder()
                .httpClientBuilder(http)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .region(Region.of(config.region()))
                .credentialsProvider(credentials(config))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(RetryMode.STANDARD)
                        .apiCallAttemptTimeout(request)
                        .build());
        config.endpoint().ifPresent(uri -> builder.endpointOverride(uri).forcePathStyle(true));
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(CloudStorageConfig config) {
        if (config.hasStaticKeys()) {
            return StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(config.accessKeyId(), config.secretAccessKey()));
        }
        return DefaultCredentialsProvider.builder().build();
    }
}
