package org.pacs.storage.hsm;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.spi.StorageBackendProvider;

/**
 * Test-only provider ("hsm-file": HSM over three FileStorage roots under {@code root}) so the contract's
 * forked large-instance JVM can build the same kind of backend. The CLI builds HSM from its own config.
 */
public final class HsmFileProvider implements StorageBackendProvider {

    @Override
    public String type() {
        return "hsm-file";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of("root");
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of();
    }

    @Override
    public StorageBackend create(Map<String, String> settings) {
        String root = settings.get("root");
        if (root == null) {
            throw StorageException.invalidInput("hsm-file needs 'root'.");
        }
        return HsmFixture.open(Path.of(root), HsmStorageConfig.defaults().withNodeId("forked"));
    }
}
