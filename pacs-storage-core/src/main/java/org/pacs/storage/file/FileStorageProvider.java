package org.pacs.storage.file;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.spi.SettingValues;
import org.pacs.storage.spi.StorageBackendProvider;

/** {@code type: file}; settings root (required), layout, duplicate-policy, fsync. */
public final class FileStorageProvider implements StorageBackendProvider {

    public static final String ROOT = "root";
    public static final String LAYOUT = "layout";
    public static final String DUPLICATE_POLICY = "duplicate-policy";
    public static final String FSYNC = "fsync";

    @Override
    public String type() {
        return "file";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of(ROOT, LAYOUT, DUPLICATE_POLICY, FSYNC);
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of();
    }

    @Override
    public StorageBackend create(Map<String, String> settings) {
        SettingValues.requireKnownKeys("file", settings, settingKeys());
        String root = SettingValues.required(settings, ROOT, "the directory to store instances in");
        FileStorageConfig c = FileStorageConfig.of(Path.of(root.trim()));
        if (settings.containsKey(LAYOUT)) {
            c = c.withLayout(FileLayout.parse(settings.get(LAYOUT)));
        }
        if (settings.containsKey(DUPLICATE_POLICY)) {
            c = c.withDuplicatePolicy(SettingValues.duplicatePolicy(DUPLICATE_POLICY, settings.get(DUPLICATE_POLICY)));
        }
        if (settings.containsKey(FSYNC)) {
            c = c.withFsync(SettingValues.bool(FSYNC, settings.get(FSYNC)));
        }
        return new FileStorage(c);
    }
}
