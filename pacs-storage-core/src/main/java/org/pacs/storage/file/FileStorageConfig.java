package org.pacs.storage.file;

import java.nio.file.Path;
import java.util.Objects;
import org.pacs.storage.DuplicatePolicy;

/**
 * FileStorage settings (spec §10.3 file_storage_config).
 *
 * @param root            directory holding the instances, the index file and the spool directory
 * @param layout          default HIERARCHICAL ({@code {StudyUID}/{SeriesUID}/{SOPUID}.dcm})
 * @param duplicatePolicy default IGNORE_IDENTICAL_REJECT_DIFFERENT
 * @param fsync           default true: file, directory and index are forced to disk before a store returns;
 *                        off trades crash safety for speed (tests, scratch stores)
 */
public record FileStorageConfig(Path root, FileLayout layout, DuplicatePolicy duplicatePolicy, boolean fsync) {

    public FileStorageConfig {
        Objects.requireNonNull(root, "root");
        root = root.toAbsolutePath().normalize();
        layout = layout == null ? FileLayout.HIERARCHICAL : layout;
        duplicatePolicy = duplicatePolicy == null ? DuplicatePolicy.IGNORE_IDENTICAL_REJECT_DIFFERENT : duplicatePolicy;
    }

    /** The spec's defaults under {@code root}. */
    public static FileStorageConfig of(Path root) {
        return new FileStorageConfig(root, FileLayout.HIERARCHICAL, DuplicatePolicy.IGNORE_IDENTICAL_REJECT_DIFFERENT,
                true);
    }

    public FileStorageConfig withLayout(FileLayout value) {
        return new FileStorageConfig(root, value, duplicatePolicy, fsync);
    }

    public FileStorageConfig withDuplicatePolicy(DuplicatePolicy value) {
        return new FileStorageConfig(root, layout, value, fsync);
    }

    public FileStorageConfig withFsync(boolean value) {
        return new FileStorageConfig(root, layout, duplicatePolicy, value);
    }

    public FileStorageConfig withRoot(Path value) {
        return new FileStorageConfig(value, layout, duplicatePolicy, fsync);
    }
}
