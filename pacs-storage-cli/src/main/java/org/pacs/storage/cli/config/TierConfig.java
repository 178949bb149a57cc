package org.pacs.storage.cli.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.cli.UsageException;
import org.pacs.storage.spi.StorageBackendProvider;

/**
 * One tier's backend: its {@code type} and the settings its provider accepts. The CLI never names a backend
 * class; it hands the settings to whichever provider registered that type.
 */
public final class TierConfig {

    private final String tier;
    private final ConfigValue type;
    private final StorageBackendProvider provider;
    private final Map<String, ConfigValue> settings;
    private final ConfigValue capacity;

    TierConfig(String tier, ConfigValue type, StorageBackendProvider provider, Map<String, ConfigValue> settings) {
        this(tier, type, provider, settings, null);
    }

    TierConfig(String tier, ConfigValue type, StorageBackendProvider provider, Map<String, ConfigValue> settings,
               ConfigValue capacity) {
        this.capacity = capacity;
        this.tier = tier;
        this.type = type;
        this.provider = provider;
        this.settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    public String tier() {
        return tier;
    }

    public String type() {
        return type.value();
    }

    public StorageBackendProvider provider() {
        return provider;
    }

    /** The settings as written (short keys, e.g. {@code root-path}), in file order. */
    public Map<String, ConfigValue> settings() {
        return settings;
    }

    /**
     * {@code tiers.<name>.capacity} in bytes, the archive's own key (not the backend's): what the watermarks and
     * the full-tier check measure against. Empty: a file tier's file system size, else no limit.
     */
    public java.util.OptionalLong capacity() {
        return capacity == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(Units.parseSize(
                capacity.value()));
    }

    /** The capacity as written, for config show. */
    public java.util.Optional<ConfigValue> capacitySetting() {
        return java.util.Optional.ofNullable(capacity);
    }

    public boolean isSecret(String key) {
        return provider.secretKeys().contains(key);
    }

    /**
     * Builds the backend. A value the provider rejects is a configuration error (exit 2) reported at the line of
     * the key the provider's message names; a server that cannot be reached stays an operation failure (exit 1).
     */
    public StorageBackend create() {
        return built(provider::create);
    }

    /** Builds the tier's blob store (for the archive, whose catalog is shared), with the same error handling. */
    public org.pacs.storage.blob.BlobStore createBlobStore() {
        return built(provider::createBlobStore);
    }

    private <T> T built(java.util.function.Function<Map<String, String>, T> factory) {
        Map<String, String> plain = new LinkedHashMap<>();
        settings.forEach((k, v) -> plain.put(k, v.value()));
        try {
            return factory.apply(plain);
        } catch (StorageException e) {
            if (e.reason() == StorageException.Reason.INVALID_INPUT) {
                throw new UsageException(locate(e.getMessage()) + ": " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private String locate(String message) {
        ConfigValue best = null;
        for (ConfigValue v : settings.values()) {
            String shortKey = v.key().substring(v.key().lastIndexOf('.') + 1);
            if (message.contains(shortKey) && (best == null || shortKey.length() > best.key().length()
                    - best.key().lastIndexOf('.') - 1)) {
                best = v;
            }
        }
        return best != null ? best.where() : type.where().replace(".type", "");
    }
}
