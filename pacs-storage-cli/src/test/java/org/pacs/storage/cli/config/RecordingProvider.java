package org.pacs.storage.cli.config;

import java.util.Map;
import java.util.Set;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.spi.StorageBackendProvider;

/**
 * A provider registered only on the unit-test classpath, so configuration parsing is tested without any real
 * backend module: it validates one numeric key the way real providers do and never builds a backend.
 */
public final class RecordingProvider implements StorageBackendProvider {

    @Override
    public String type() {
        return "recording";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("root-path", "access-key", "part-size");
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of("access-key");
    }

    @Override
    public StorageBackend create(Map<String, String> settings) {
        String part = settings.getOrDefault("part-size", "1");
        if (!part.matches("\\d+")) {
            throw StorageException.invalidInput("part-size '" + part + "' is not a number; use a byte count.");
        }
        throw new StorageException(StorageException.Reason.UNSUPPORTED, "recording provider builds nothing");
    }
}
