package org.pacs.storage.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.Set;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.StorageException;

/**
 * Spec §3.1.1 cloud_storage_config, plus where keys go (prefix, layout) and what a duplicate does.
 * Start from {@link #forBucket(String)} (every spec default) and adjust with the {@code with...} methods.
 *
 * @param accessKeyId     with {@code secretAccessKey}: static keys; both empty: the SDK default credential
 *                        chain (environment, profile, instance role)
 * @param endpointUrl     empty for AWS; else an S3-compatible endpoint, addressed path-style
 * @param storageClass    the class sent on every upload
 */
public record CloudStorageConfig(
        String bucketName,
        String region,
        String accessKeyId,
        String secretAccessKey,
        String endpointUrl,
        long multipartThreshold,
        long partSize,
        int maxConnections,
        int connectTimeoutMs,
        int requestTimeoutMs,
        boolean enableEncryption,
        String storageClass,
        String keyPrefix,
        KeyLayout.Kind layout,
        DuplicatePolicy duplicatePolicy) {

    public static final long MIB = 1024L * 1024;
    public static final long DEFAULT_MULTIPART_THRESHOLD = 100 * MIB;
    public static final long DEFAULT_PART_SIZE = 10 * MIB;
    /** S3's own limits on parts: 5 MiB (except the last) to 5 GiB, at most 10,000 of them. */
    public static final long MIN_PART_SIZE = 5 * MIB;
    public static final long MAX_PART_SIZE = 5L * 1024 * MIB;
    public static final int MAX_PARTS = 10_000;
    public static final Set<String> STORAGE_CLASSES = Set.of("STANDARD", "STANDARD_IA", "INTELLIGENT_TIERING",
            "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE");

    public CloudStorageConfig {
        bucketName = bucketName == null ? "" : bucketName.trim();
        if (!bucketName.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw StorageException.invalidInput("S3 bucket-name '" + bucketName + "' is not a valid bucket name:"
                    + " use 3 to 63 lower-case letters, digits, '.' and '-', starting and ending with a letter or digit.");
        }
        region = region == null || region.isBlank() ? "us-east-1" : region.trim();
        accessKeyId = accessKeyId == null ? "" : accessKeyId.trim();
        secretAccessKey = secretAccessKey == null ? "" : secretAccessKey;
        if (accessKeyId.isEmpty() != secretAccessKey.isEmpty()) {
            throw StorageException.invalidInput("S3 access-key-id and secret-access-key must be given together,"
                    + " or both left empty to use the AWS default credential chain.");
        }
        endpointUrl = endpointUrl == null ? "" : endpointUrl.trim();
        if (!endpointUrl.isEmpty()) {
            checkEndpoint(endpointUrl);
        }
        if (partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw StorageException.invalidInput("S3 part-size " + partSize + " bytes is outside S3's limits;"
                    + " use 5MiB to 5GiB (default 10MiB).");
        }
        if (multipartThreshold < 1) {
            throw StorageException.invalidInput("S3 multipart-threshold must be positive (default 100MiB).");
        }
        if (maxConnections < 1 || maxConnections > 1000) {
            throw StorageException.invalidInput("S3 max-connections " + maxConnections + " is out of range;"
                    + " use 1 to 1000 (default 25).");
        }
        if (connectTimeoutMs < 1 || requestTimeoutMs < 1) {
            throw StorageException.invalidInput("S3 connect-timeout-ms and request-timeout-ms must be positive"
                    + " (defaults 3000 and 30000).");
        }
        storageClass = normaliseStorageClass(storageClass == null || storageClass.isBlank() ? "STANDARD"
                : storageClass);
        keyPrefix = KeyLayout.normalisePrefix(keyPrefix);
        layout = layout == null ? KeyLayout.Kind.HIERARCHICAL : layout;
        duplicatePolicy = duplicatePolicy == null ? DuplicatePolicy.IGNORE_IDENTICAL_REJECT_DIFFERENT
                : duplicatePolicy;
    }

    /** Every spec default: us-east-1, default credentials, AWS endpoint, 100MiB/10MiB/25, 3s/30s, STANDARD. */
    public static CloudStorageConfig forBucket(String bucketName) {
        return new CloudStorageConfig(bucketName, "us-east-1", "", "", "", DEFAULT_MULTIPART_THRESHOLD,
                DEFAULT_PART_SIZE, 25, 3000, 30000, false, "STANDARD", "", KeyLayout.Kind.HIERARCHICAL,
                DuplicatePolicy.IGNORE_IDENTICAL_REJECT_DIFFERENT);
    }

    public static String normaliseStorageClass(String value) {
        String v = value.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        if (!STORAGE_CLASSES.contains(v)) {
            throw StorageException.invalidInput("Unknown S3 storage class '" + value + "'; use one of "
                    + new java.util.TreeSet<>(STORAGE_CLASSES) + ".");
        }
        return v;
    }

    private static void checkEndpoint(String url) {
        try {
            URI u = new URI(url);
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                throw new URISyntaxException(url, "needs http:// or https:// and a host");
            }
        } catch (URISyntaxException e) {
            throw StorageException.invalidInput("S3 endpoint-url '" + url + "' is not usable (" + e.getReason()
                    + "); write it like http://127.0.0.1:9000 or https://s3.example.org, or leave it empty for AWS.");
        }
    }

    public Optional<URI> endpoint() {
        return endpointUrl.isEmpty() ? Optional.empty() : Optional.of(URI.create(endpointUrl));
    }

    public boolean hasStaticKeys() {
        return !accessKeyId.isEmpty();
    }

    /** What error messages show as the endpoint. */
    public String endpointDisplay() {
        return endpointUrl.isEmpty() ? "https://s3." + region + ".amazonaws.com" : endpointUrl;
    }

    public KeyLayout keyLayout() {
        return new KeyLayout(keyPrefix, layout);
    }

    public CloudStorageConfig withRegion(String v) {
        return new CloudStorageConfig(bucketName, v, accessKeyId, secretAccessKey, endpointUrl, multipartThreshold,
                partSize, maxConnections, connectTimeoutMs, requestTimeoutMs, enableEncryption, storageClass,
                keyPrefix, layout, duplicatePolicy);
    }

    public CloudStorageConfig withCredentials(String keyId, String secret) {
        return new CloudStorageConfig(bucketName, region, keyId, secret, endpointUrl, multipartThreshold,
                partSize, maxConnections, connectTimeoutMs, requestTimeoutMs, enableEncryption, storageClass,
                keyPrefix, layout, duplicatePolicy);
    }

    public CloudStorageConfig withEndpointUrl(String v) {
        return new CloudStorageConfig(bucketName, region, accessKeyId, secretAccessKey, v, multipartThreshold,
                partSize, maxConnections, connectTimeoutMs, requestTimeoutMs, enableEncryption, storageClass,
                keyPrefix, layout, duplicatePolicy);
    }

    public CloudStorageConfig withBucketName(String v) {
        return new CloudStorageConfig(v, region, accessKeyId, secretAccessKey, endpointUrl, multipartThreshold,
                partSize, maxConnections, connectTimeoutMs, requestTimeoutMs, enableEncryption, storageClass,
                keyPrefix, layout, duplicatePolicy);
    }

    public CloudStorageConfig withMultipart(long threshold, long part) {
        return new CloudStorageConfig(bucketName, region, accessKeyId, secretAccessKey, endpointUrl, threshold,
                part, maxConnections, connectTimeoutMs, requestTimeoutMs, enableEncryption, storageClass,
                keyPrefix, layout, duplicatePolicy);
    }

    public CloudStorageConfig withMaxConnections(int v) {
        return new CloudStorageConfig(bucketName, region, accessKeyId, secretAccessKey, endpointUrl,
                multipartThreshold, partSize, v, connectTimeoutMs, requestTimeoutMs, enableEncryption, storageClass,
                keyPrefix, layout, duplicatePolicy);
    }

    public CloudStorageConfig withTimeouts(int connectMs, int requestMs) {
        return new CloudStorageConfig(bucketName, region, accessKeyId, secretAccessKey, endpointUrl,
                multipartThreshold, partSize, maxConnections, connectMs, requestMs, enableEncryption, storageClass,
                keyPrefix, layout, duplicatePolicy);
    }

    public CloudStorageConfig withEncryption(boolean v) {
        return new CloudStorageConfig(bucketName, region, accessKeyId, secretAccessKey, endpointUrl,
                multipartThreshold, partSize, maxConnections, connectTimeoutMs, requestTimeoutMs, v, storageClass,
                keyPrefix, layout, duplicatePolicy);
    }

    public CloudStorageConfig withStorageClass(String v) {
        return new CloudStorageConfig(bucketName, region, accessKeyId, secretAccessKey, endpointUrl,
                multipartThreshold, partSize, maxConnections, connectTimeoutMs, requestTimeoutMs, enableEncryption,
                v, keyPrefix, layout, duplicatePolicy);
    }

    public CloudStorageConfig withKeyPrefix(String v) {
        return new CloudStorageConfig(bucketName, region, accessKeyId, secretAccessKey, endpointUrl,
                multipartThreshold, partSize, maxConnections, connectTimeoutMs, requestTimeoutMs, enableEncryption,
                storageClass, v, layout, duplicatePolicy);
    }

    public CloudStorageConfig withLayout(KeyLayout.Kind v) {
        return new CloudStorageConfig(bucketName, region, accessKeyId, secretAccessKey, endpointUrl,
                multipartThreshold, partSize, maxConnections, connectTimeoutMs, requestTimeoutMs, enableEncryption,
                storageClass, keyPrefix, v, duplicatePolicy);
    }

    public CloudStorageConfig withDuplicatePolicy(DuplicatePolicy v) {
        return new CloudStorageConfig(bucketName, region, accessKeyId, secretAccessKey, endpointUrl,
                multipartThreshold, partSize, maxConnections, connectTimeoutMs, requestTimeoutMs, enableEncryption,
                storageClass, keyPrefix, layout, v);
    }

    /** Never prints the secret: configurations end up in logs. */
    @Override
    public String toString() {
        return "CloudStorageConfig[bucket=" + bucketName + ", region=" + region + ", endpoint=" + endpointDisplay()
                + ", accessKeyId=" + (accessKeyId.isEmpty() ? "(default chain)" : accessKeyId)
                + ", secretAccessKey=" + (secretAccessKey.isEmpty() ? "" : "****") + ", multipartThreshold="
                + multipartThreshold + ", partSize=" + partSize + ", maxConnections=" + maxConnections
                + ", connectTimeoutMs=" + connectTimeoutMs + ", requestTimeoutMs=" + requestTimeoutMs
                + ", encryption=" + enableEncryption + ", storageClass=" + storageClass + ", keyPrefix=" + keyPrefix
                + ", layout=" + layout + ", duplicatePolicy=" + duplicatePolicy + "]";
    }
}
