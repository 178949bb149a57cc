package org.pacs.storage.testkit;

import java.util.Map;
import java.util.Objects;

/**
 * How a forked JVM builds an equivalent backend: a provider type and its settings, as in a configuration
 * file. It goes through the same {@link org.pacs.storage.spi.StorageBackendProvider} a deployment uses.
 */
public record ForkedBackend(String type, Map<String, String> settings) {

    public ForkedBackend {
        Objects.requireNonNull(type, "type");
        settings = Map.copyOf(settings);
        for (String k : settings.keySet()) {
            if (k.contains("=")) {
                throw new IllegalArgumentException("setting keys cannot contain '=': " + k);
            }
        }
    }
}
