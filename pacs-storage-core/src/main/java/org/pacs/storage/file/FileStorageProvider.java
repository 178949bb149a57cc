package org.pacs.storage.file;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.spi.SettingValues;
import org.pacs.storage.spi.StorageBackendProvider;

/** {@code type: file}; settings root (required), layout, duplicate-policy, fsync. */
public final class FileStorageProvider implements StorageBackendProvider {

    public static final String ROOT = "root";
    /** The spec's root_path, accepted as well as {@code root}. */
    public static final String ROOT_PATH = "root-path";
    public static final String FILE_MODE = "file-mode";
    public static final String DIR_MODE = "dir-mode";
    public static final String LAYOUT = "layout";
    public static final String DUPLICATE_POLICY = "duplicate-policy";
    public static final String FSYNC = "fsync";

    @Override
    public String type() {
        return "file";
    }

    @Override
    public Set<String> settingKeys() {
        return Set.of(ROOT, ROOT_PATH, LAYOUT, DUPLICATE_POLICY, FSYNC, FILE_MODE, DIR_MODE);
    }

    @Override
    public Set<String> secretKeys() {
        return Set.of();
    }

    @Override
    public StorageBackend create(Map<String, String> settings) {
        return new FileStorage(config(settings));
    }

    @Override
    public org.pacs.storage.blob.BlobStore createBlobStore(Map<String, String> settings) {
        return new FileBlobStore(config(settings));
    }

    /** The configuration the settings describe; INVALID_INPUT naming the key for anything unusable. */
    public FileStorageConfig config(Map<String, String> settings) {
        SettingValues.requireKnownKeys("file", settings, settingKeys());
        if (settings.containsKey(ROOT) && settings.containsKey(ROOT_PATH)) {
            throw StorageException.invalidInput("file setting root and root-path both given; give one of them"
                    + " (they mean the same directory).");
        }
        String root = SettingValues.required(settings, settings.containsKey(ROOT_PATH) ? ROOT_PATH : ROOT,
                "the directory to store instances in");
        FileStorageConfig c = FileStorageConfig.of(Path.of(root.trim()));
        if (settings.containsKey(FILE_MODE) || settings.containsKey(DIR_MODE)) {
            c = c.withModes(settings.getOrDefault(FILE_MODE, FileStorageConfig.DEFAULT_FILE_MODE).trim(),
                    settings.getOrDefault(DIR_MODE, FileStorageConfig.DEFAULT_DIR_MODE).trim());
        }
        if (settings.containsKey(LAYOUT)) {
            c = c.withLayout(FileLayout.parse(settings.get(LAYOUT)));
        }
        if (settings.containsKey(DUPLICATE_POLICY)) {
            c = c.withDuplicatePolicy(SettingValues.duplicatePolicy(DUPLICATE_POLICY, settings.get(DUPLICATE_POLICY)));
        }
        if (settings.containsKey(FSYNC)) {
            c = c.withFsync(SettingValues.bool(FSYNC, settings.get(FSYNC)));
        }
        return c;
    }
}
