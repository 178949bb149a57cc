package org.pacs.storage.azure;

import static org.pacs.storage.spi.SettingValues.bool;
import static org.pacs.storage.spi.SettingValues.duration;
import static org.pacs.storage.spi.SettingValues.integer;
import static org.pacs.storage.spi.SettingValues.size;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.spi.SettingValues;
import org.pacs.storage.spi.StorageBackendProvider;

/** {@code type: azure}: the spec §4.1.1 fields in kebab-case, plus the additions and a spool directory. */
public final class AzureBlobStorageProvider implements StorageBackendProvider {

    public static final String CONTAINER_NAME = "container-name";
    public static final String CONNECTION_STRING = "connection-string";
    public static final String SPOOL_DIR = "spool-dir";

    private static final Map<String, BiConsumer<AzureStorageConfig.Builder, String>> OPTIONAL = Map.ofEntries(
            Map.entry("endpoint-suffix", AzureStorageConfig.Builder::endpointSuffix),
            Map.entry("endpoint-url", AzureStorageConfig.Builder::endpointUrl),
            Map.entry("block-upload-threshold", (b, v) -> b.blockUploadThreshold(size("block-upload-threshold", v))),
            Map.entry("block-size", (b, v) -> b.blockSize(size("block-size", v))),
            Map.entry("max-concurrency", (b, v) -> b.maxConcurrency(integer("max-concurrency", v, 1, 256))),
            Map.entry("connect-timeout-ms", (b, v) -> b.connectTimeoutMs(duration("connect-timeout-ms", v).toMillis())),
            Map.entry("request-timeout-ms", (b, v) -> b.requestTimeoutMs(duration("request-timeout-ms", v).toMillis())),
            Map.entry("use-https", (b, v) -> b.useHttps(bool("use-https", v))),
            Map.entry("access-tier", (b, v) -> b.accessTier(AzureAccessTier.parse(v))),
            Map.entry("max-retries", (b, v) -> b.maxRetries(integer("max-retries", v, 0, 100))),
            Map.entry("retry-delay-ms", (b, v) -> b.retryDelayMs(duration("retry-delay-ms", v).toMillis())),
            Map.entry("blob-prefix", AzureStorageConfig.Builder::blobPrefix),
            Map.entry("hashed-layout", (b, v) -> b.hashedLayout(bool("hashed-layout", v))),
            Map.entry("duplicate-policy", (b, v) -> b.duplicatePolicy(SettingValues.duplicatePolicy("duplicate-policy", v))),
            Map.entry("create-container", (b, v) -> b.createContainer(bool("create-container", v))));

    @Override
    public String type() {
        return "azure";
    }

    @Override
    public Set<String> settingKeys() {
        java.util.Set<String> keys = new java.util.TreeSet<>(OPTIONAL.keySet());
        keys.add(CONTAINER_NAME);
        keys.add(CONNECTION_STRING);
        keys.add(SPOOL_DIR);
        return Set.copyOf(keys);
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of(CONNECTION_STRING);
    }

    @Override
    public StorageBackend create(Map<String, String> settings) {
        AzureStorageConfig config = config(settings);
        String spool = settings.get(SPOOL_DIR);
        return spool == null || spool.isBlank() ? new AzureBlobStorage(config)
                : new AzureBlobStorage(config, Path.of(spool.trim()));
    }

    /** The configuration the settings describe, without connecting. */
    public AzureStorageConfig config(Map<String, String> settings) {
        SettingValues.requireKnownKeys("azure", settings, settingKeys());
        AzureStorageConfig.Builder b = AzureStorageConfig.builder(
                SettingValues.required(settings, CONTAINER_NAME, "the blob container to store instances in"),
                SettingValues.required(settings, CONNECTION_STRING, "the storage account's connection string,"
                        + " or UseDevelopmentStorage=true for Azurite"));
        OPTIONAL.forEach((key, apply) -> {
            String v = settings.get(key);
            if (v != null) {
                apply.accept(b, v.trim());
            }
        });
        return b.build();
    }
}
