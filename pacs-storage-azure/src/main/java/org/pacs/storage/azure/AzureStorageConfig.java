package org.pacs.storage.azure;

import java.util.Objects;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.StorageException;

/**
 * Spec §4.1.1 azure_storage_config, with the spec's defaults, plus what the issue adds: a blob name prefix,
 * the opt-in hashed layout, the duplicate policy and an opt-in to create a missing container.
 * Optional strings ({@code endpointSuffix}, {@code endpointUrl}) are empty when unset.
 *
 * @param containerName        blob container; 3-63 lower-case letters, digits and single hyphens
 * @param connectionString     Azure connection string (AccountName/AccountKey or SharedAccessSignature,
 *                             optionally BlobEndpoint/EndpointSuffix; UseDevelopmentStorage=true for Azurite)
 * @param endpointSuffix       sovereign cloud suffix, e.g. core.chinacloudapi.cn; overrides the string's
 * @param endpointUrl          explicit blob endpoint, e.g. Azurite's http://127.0.0.1:10000/devstoreaccount1
 * @param blockUploadThreshold instances of this size or more go up as staged blocks, smaller ones in one put
 * @param blockSize            bytes per staged block (Azure allows up to 4000 MiB and 50,000 blocks)
 * @param maxConcurrency       staged blocks in flight per upload, and parallel reads while rebuilding the index
 * @param useHttps             derive https endpoints; refuse plain http except to a loopback emulator
 * @param accessTier           tier set on every upload
 * @param maxRetries           retries after the first try, done by the SDK's RequestRetryOptions
 * @param retryDelayMs         first retry delay; the SDK backs off exponentially from it
 * @param blobPrefix           prepended to every blob name, e.g. "pacs/"; "" for none
 * @param hashedLayout         put a 4-hex-digit hash of the Study UID in front of it, spreading partitions
 */
public record AzureStorageConfig(
        String containerName,
        String connectionString,
        String endpointSuffix,
        String endpointUrl,
        long blockUploadThreshold,
        long blockSize,
        int maxConcurrency,
        long connectTimeoutMs,
        long requestTimeoutMs,
        boolean useHttps,
        AzureAccessTier accessTier,
        int maxRetries,
        long retryDelayMs,
        String blobPrefix,
        boolean hashedLayout,
        DuplicatePolicy duplicatePolicy,
        boolean createContainer) {

    public static final long MiB = 1024L * 1024;
    public static final long DEFAULT_BLOCK_UPLOAD_THRESHOLD = 100 * MiB;
    public static final long DEFAULT_BLOCK_SIZE = 4 * MiB;
    /** Azure's limits for one staged block and one single put (service version 2019-12-12 and later). */
    public static final long MAX_BLOCK_SIZE = 4000 * MiB;
    public static final long MAX_SINGLE_PUT = 5000 * MiB;

    public AzureStorageConfig {
        containerName = requireContainerName(containerName);
        connectionString = connectionString == null ? "" : connectionString.trim();
        endpointSuffix = endpointSuffix == null ? "" : endpointSuffix.trim();
        endpointUrl = endpointUrl == null ? "" : endpointUrl.trim();
        if (connectionString.isEmpty()) {
            throw StorageException.invalidInput("Azure connection-string is missing; give the storage account's"
                    + " connection string (portal: Access keys), or UseDevelopmentStorage=true for Azurite.");
        }
        if (endpointSuffix.contains("/") || endpointSuffix.startsWith(".")) {
            throw StorageException.invalidInput("endpoint-suffix '" + endpointSuffix
                    + "' must be a bare domain such as core.windows.net or core.chinacloudapi.cn.");
        }
        if (!endpointUrl.isEmpty() && !endpointUrl.matches("(?i)https?://[^/\\s]+(/[^\\s]*)?")) {
            throw StorageException.invalidInput("endpoint-url '" + endpointUrl
                    + "' must be an http(s) URL such as http://127.0.0.1:10000/devstoreaccount1.");
        }
        if (blockSize < 1 || blockSize > MAX_BLOCK_SIZE) {
            throw StorageException.invalidInput("block-size " + blockSize + " is outside 1 byte.." + MAX_BLOCK_SIZE
                    + " bytes (4000 MiB); the default is 4 MiB.");
        }
        if (blockUploadThreshold < 0 || blockUploadThreshold > MAX_SINGLE_PUT) {
            throw StorageException.invalidInput("block-upload-threshold " + blockUploadThreshold
                    + " is outside 0.." + MAX_SINGLE_PUT + " bytes (5000 MiB, Azure's single-put limit).");
        }
        requireRange("max-concurrency", maxConcurrency, 1, 256);
        requireRange("connect-timeout-ms", connectTimeoutMs, 1, 600_000);
        requireRange("request-timeout-ms", requestTimeoutMs, 1, 86_400_000);
        requireRange("max-retries", maxRetries, 0, 100);
        requireRange("retry-delay-ms", retryDelayMs, 0, 3_600_000);
        accessTier = Objects.requireNonNullElse(accessTier, AzureAccessTier.HOT);
        blobPrefix = requirePrefix(blobPrefix);
        duplicatePolicy = Objects.requireNonNullElse(duplicatePolicy, DuplicatePolicy.IGNORE_IDENTICAL_REJECT_DIFFERENT);
    }

    /** Defaults everywhere except the two fields with none. */
    public static Builder builder(String containerName, String connectionString) {
        return new Builder(containerName, connectionString);
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    public AzureStorageConfig withAccessTier(AzureAccessTier tier) {
        return toBuilder().accessTier(tier).build();
    }

    public AzureStorageConfig withDuplicatePolicy(DuplicatePolicy policy) {
        return toBuilder().duplicatePolicy(policy).build();
    }

    /** Never prints the account key or SAS: configurations get logged. */
    @Override
    public String toString() {
        return "AzureStorageConfig[container=" + containerName + ", connectionString="
                + ConnectionString.masked(connectionString) + ", endpointSuffix=" + endpointSuffix
                + ", endpointUrl=" + endpointUrl + ", blockUploadThreshold=" + blockUploadThreshold
                + ", blockSize=" + blockSize + ", maxConcurrency=" + maxConcurrency + ", connectTimeoutMs="
                + connectTimeoutMs + ", requestTimeoutMs=" + requestTimeoutMs + ", useHttps=" + useHttps
                + ", accessTier=" + accessTier + ", maxRetries=" + maxRetries + ", retryDelayMs=" + retryDelayMs
                + ", blobPrefix=" + blobPrefix + ", hashedLayout=" + hashedLayout + ", duplicatePolicy="
                + duplicatePolicy + ", createContainer=" + createContainer + "]";
    }

    private static String requireContainerName(String name) {
        if (name == null || !name.matches("[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}")) {
            throw StorageException.invalidInput("container-name '" + name + "' is not a valid Azure container name:"
                    + " use 3-63 lower-case letters, digits and single hyphens, starting with a letter or digit.");
        }
        return name;
    }

    private static String requirePrefix(String prefix) {
        String p = prefix == null ? "" : prefix;
        if (p.length() > 256 || p.startsWith("/") || p.contains("//") || p.contains("\\")
                || p.matches("(^|.*/)\\.\\.?(/.*|$)") || !p.matches("[A-Za-z0-9._/-]*")) {
            throw StorageException.invalidInput("blob-prefix '" + p + "' is not usable: use up to 256 letters, digits,"
                    + " '.', '_', '-' and single '/' (no leading '/', no '.' or '..' segments), e.g. 'pacs/'.");
        }
        return p;
    }

    private static void requireRange(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw StorageException.invalidInput(key + " " + value + " is outside " + min + ".." + max + ".");
        }
    }

    /** Mutable only while building; the record stays immutable. */
    public static final class Builder {
        private String containerName;
        private String connectionString;
        private String endpointSuffix = "";
        private String endpointUrl = "";
        private long blockUploadThreshold = DEFAULT_BLOCK_UPLOAD_THRESHOLD;
        private long blockSize = DEFAULT_BLOCK_SIZE;
        private int maxConcurrency = 8;
        private long connectTimeoutMs = 3000;
        private long requestTimeoutMs = 60000;
        private boolean useHttps = true;
        private AzureAccessTier accessTier = AzureAccessTier.HOT;
        private int maxRetries = 3;
        private long retryDelayMs = 1000;
        private String blobPrefix = "";
        private boolean hashedLayout;
        private DuplicatePolicy duplicatePolicy = DuplicatePolicy.IGNORE_IDENTICAL_REJECT_DIFFERENT;
        private boolean createContainer;

        private Builder(String containerName, String connectionString) {
            this.containerName = containerName;
            this.connectionString = connectionString;
        }

        private Builder(AzureStorageConfig c) {
            containerName = c.containerName;
            connectionString = c.connectionString;
            endpointSuffix = c.endpointSuffix;
            endpointUrl = c.endpointUrl;
            blockUploadThreshold = c.blockUploadThreshold;
            blockSize = c.blockSize;
            maxConcurrency = c.maxConcurrency;
            connectTimeoutMs = c.connectTimeoutMs;
            requestTimeoutMs = c.requestTimeoutMs;
            useHttps = c.useHttps;
            accessTier = c.accessTier;
            maxRetries = c.maxRetries;
            retryDelayMs = c.retryDelayMs;
            blobPrefix = c.blobPrefix;
            hashedLayout = c.hashedLayout;
            duplicatePolicy = c.duplicatePolicy;
            createContainer = c.createContainer;
        }

        public Builder containerName(String v) { containerName = v; return this; }
        public Builder connectionString(String v) { connectionString = v; return this; }
        public Builder endpointSuffix(String v) { endpointSuffix = v; return this; }
        public Builder endpointUrl(String v) { endpointUrl = v; return this; }
        public Builder blockUploadThreshold(long v) { blockUploadThreshold = v; return this; }
        public Builder blockSize(long v) { blockSize = v; return this; }
        public Builder maxConcurrency(int v) { maxConcurrency = v; return this; }
        public Builder connectTimeoutMs(long v) { connectTimeoutMs = v; return this; }
        public Builder requestTimeoutMs(long v) { requestTimeoutMs = v; return this; }
        public Builder useHttps(boolean v) { useHttps = v; return this; }
        public Builder accessTier(AzureAccessTier v) { accessTier = v; return this; }
        public Builder maxRetries(int v) { maxRetries = v; return this; }
        public Builder retryDelayMs(long v) { retryDelayMs = v; return this; }
        public Builder blobPrefix(String v) { blobPrefix = v; return this; }
        public Builder hashedLayout(boolean v) { hashedLayout = v; return this; }
        public Builder duplicatePolicy(DuplicatePolicy v) { duplicatePolicy = v; return this; }
        public Builder createContainer(boolean v) { createContainer = v; return this; }

        public AzureStorageConfig build() {
            return new AzureStorageConfig(containerName, connectionString, endpointSuffix, endpointUrl,
                    blockUploadThreshold, blockSize, maxConcurrency, connectTimeoutMs, requestTimeoutMs, useHttps,
                    accessTier, maxRetries, retryDelayMs, blobPrefix, hashedLayout, duplicatePolicy, createContainer);
        }
    }
}
