package org.pacs.storage.file;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
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
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(settingKeys());
        if (!unknown.isEmpty()) {
            throw StorageException.invalidInput("Unknown file storage setting(s) " + unknown + "; accepted: "
                    + new TreeSet<>(settingKeys()) + ".");
        }
        String root = settings.get(ROOT);
        if (root == null || root.isBlank()) {
            throw StorageException.invalidInput("File storage needs '" + ROOT + "': the directory to store instances in.");
        }
        FileStorageConfig c = FileStorageConfig.of(Path.of(root.trim()));
        if (settings.containsKey(LAYOUT)) {
            c = c.withLayout(FileLayout.parse(settings.get(LAYOUT)));
        }
        if (settings.containsKey(DUPLICATE_POLICY)) {
            c = c.withDuplicatePolicy(parsePolicy(settings.get(DUPLICATE_POLICY)));
        }
        if (settings.containsKey(FSYNC)) {
            c = c.withFsync(parseBoolean(FSYNC, settings.get(FSYNC)));
        }
        return new FileStorage(c);
    }

    /** "reject", "replace", "ignore", "ignore-identical-reject-different" in any case, '-' or '_'. */
    public static DuplicatePolicy parsePolicy(String value) {
        try {
            return DuplicatePolicy.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw StorageException.invalidInput("Unknown duplicate-policy '" + value
                    + "'; use reject, replace, ignore or ignore-identical-reject-different.");
        }
    }

    static boolean parseBoolean(String key, String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw StorageException.invalidInput("'" + key + "' must be true or false, not '" + value + "'.");
        };
    }
}
