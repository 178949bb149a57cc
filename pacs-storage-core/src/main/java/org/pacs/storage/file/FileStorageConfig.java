package org.pacs.storage.file;

import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Set;
import org.pacs.storage.DuplicatePolicy;

/**
 * FileStorage settings (spec §10.3 file_storage_config).
 *
 * @param root            directory holding the instances, the spool directory and (standalone) the catalog
 * @param layout          default HIERARCHICAL ({@code {StudyUID}/{SeriesUID}/{SOPUID}.dcm})
 * @param duplicatePolicy default IGNORE_IDENTICAL_REJECT_DIFFERENT
 * @param fsync           default true: file and directory are forced to disk before a store returns;
 *                        off trades crash safety for speed (tests, scratch stores)
 * @param fileMode        mode of every file created, default 0600: instances hold patient data
 * @param dirMode         mode of every folder created, default 0700
 */
public record FileStorageConfig(Path root, FileLayout layout, DuplicatePolicy duplicatePolicy, boolean fsync,
                                Set<PosixFilePermission> fileMode, Set<PosixFilePermission> dirMode) {

    public static final String DEFAULT_FILE_MODE = "600";
    public static final String DEFAULT_DIR_MODE = "700";

    public FileStorageConfig {
        Objects.requireNonNull(root, "root");
        root = root.toAbsolutePath().normalize();
        layout = layout == null ? FileLayout.HIERARCHICAL : layout;
        duplicatePolicy = duplicatePolicy == null ? DuplicatePolicy.IGNORE_IDENTICAL_REJECT_DIFFERENT : duplicatePolicy;
        fileMode = Set.copyOf(fileMode == null ? FilePermissions.parse(DEFAULT_FILE_MODE, "file-mode") : fileMode);
        dirMode = Set.copyOf(dirMode == null ? FilePermissions.parse(DEFAULT_DIR_MODE, "dir-mode") : dirMode);
        if (!dirMode.contains(PosixFilePermission.OWNER_EXECUTE) || !dirMode.contains(PosixFilePermission.OWNER_WRITE)) {
            throw org.pacs.storage.StorageException.invalidInput("dir-mode must let the owner write and enter"
                    + " folders (e.g. 700 or 750).");
        }
        if (!fileMode.contains(PosixFilePermission.OWNER_READ) || !fileMode.contains(PosixFilePermission.OWNER_WRITE)) {
            throw org.pacs.storage.StorageException.invalidInput("file-mode must let the owner read and write"
                    + " files (e.g. 600 or 640).");
        }
    }

    public FileStorageConfig(Path root, FileLayout layout, DuplicatePolicy duplicatePolicy, boolean fsync) {
        this(root, layout, duplicatePolicy, fsync, null, null);
    }

    /** The spec's defaults under {@code root}. */
    public static FileStorageConfig of(Path root) {
        return new FileStorageConfig(root, FileLayout.HIERARCHICAL, DuplicatePolicy.IGNORE_IDENTICAL_REJECT_DIFFERENT,
                true);
    }

    public FileStorageConfig withLayout(FileLayout value) {
        return new FileStorageConfig(root, value, duplicatePolicy, fsync, fileMode, dirMode);
    }

    public FileStorageConfig withDuplicatePolicy(DuplicatePolicy value) {
        return new FileStorageConfig(root, layout, value, fsync, fileMode, dirMode);
    }

    public FileStorageConfig withFsync(boolean value) {
        return new FileStorageConfig(root, layout, duplicatePolicy, value, fileMode, dirMode);
    }

    public FileStorageConfig withRoot(Path value) {
        return new FileStorageConfig(value, layout, duplicatePolicy, fsync, fileMode, dirMode);
    }

    /** Modes as octal text, e.g. "640" and "750". */
    public FileStorageConfig withModes(String file, String dir) {
        return new FileStorageConfig(root, layout, duplicatePolicy, fsync, FilePermissions.parse(file, "file-mode"),
                FilePermissions.parse(dir, "dir-mode"));
    }
}
