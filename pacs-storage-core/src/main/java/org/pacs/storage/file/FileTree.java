package org.pacs.storage.file;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.Stream;
import org.pacs.storage.StorageException;

/**
 * The root directory's own bookkeeping: which names are the store's (all start with a dot, which no UID can)
 * and the walk that lists instance files. There is no lock: the catalog, not the directory, guards what
 * several processes do at once.
 */
final class FileTree {

    static final String SPOOL_DIR = ".tmp";
    /** The catalog of a standalone {@link FileStorage}: the only index of what the root holds. */
    static final String CATALOG_FILE = ".pacs-catalog.db";

    /** Names the layout a root was created with: opened with another, every file would be looked for elsewhere. */
    static final String LAYOUT_FILE = ".pacs-layout";

    private FileTree() {
    }

    /** Records the layout in a new root, or checks it against the one recorded: one small file, read once. */
    static void checkLayout(Path root, FileStorageConfig config) {
        Path marker = root.resolve(LAYOUT_FILE);
        try {
            if (!Files.exists(marker)) {
                Path tmp = root.resolve(LAYOUT_FILE + "." + ProcessHandle.current().pid() + ".tmp");
                Files.writeString(tmp, config.layout().name() + "\n");
                FilePermissions.apply(tmp, config);
                try {
                    Files.move(tmp, marker); // no REPLACE: a concurrent first open keeps the first one written
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    Files.deleteIfExists(tmp);
                }
            }
            FileLayout created = FileLayout.parse(Files.readString(marker).trim());
            if (created != config.layout()) {
                throw StorageException.invalidInput("The storage root " + root + " was created with layout "
                        + created + " but " + config.layout() + " is configured; configure " + created
                        + " or use a new root.");
            }
        } catch (IOException e) {
            throw StorageException.unavailable("Could not read or write " + marker + " (" + e.getMessage()
                    + "); check permissions under " + root + ".", e);
        }
    }

    /** Every regular file outside the dot-named bookkeeping entries, walked lazily; the caller closes it. */
    static Stream<Path> walkInstanceFiles(Path root) {
        try {
            return Files.walk(root)
                    .filter(p -> !p.equals(root))
                    .filter(p -> !root.relativize(p).getName(0).toString().startsWith("."))
                    .filter(Files::isRegularFile);
        } catch (IOException | java.io.UncheckedIOException e) {
            throw StorageException.unavailable("Could not list " + root + " (" + e.getMessage()
                    + "); check the disk and permissions.", e);
        }
    }

    /**
     * Removes spool files last written before {@code staleBefore}: other processes may be spooling into the same
     * directory right now, so only files no live write has touched for a long time are a dead process's.
     */
    static int cleanSpool(Path spool, Instant staleBefore) {
        int n = 0;
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(spool)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                try {
                    // only unfinished writes (*.tmp): a live archive's store journal sits here too, and must stay
                    if (p.getFileName().toString().endsWith(".tmp") && Files.isRegularFile(p)
                            && Files.getLastModifiedTime(p).toInstant().isBefore(staleBefore)) {
                        Files.deleteIfExists(p);
                        n++;
                    }
                } catch (IOException e) {
                    // gone already (its process finished it): nothing to clean
                }
            }
        } catch (IOException e) {
            throw StorageException.unavailable("Could not clean the spool directory " + spool + " ("
                    + e.getMessage() + "); check permissions.", e);
        }
        return n;
    }
}
