package org.pacs.storage.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.pacs.storage.StorageException;

/**
 * The root directory's own bookkeeping: which names are FileStorage's (all start with a dot, which no UID
 * can), the lock that keeps a second process out, and the walk that lists instance files.
 */
final class FileTree {

    static final String SPOOL_DIR = ".tmp";
    static final String INDEX_FILE = ".pacs-index.db";
    static final String LOCK_FILE = ".lock";

    private FileTree() {
    }

    /** Relative '/'-separated paths of every regular file outside the dot-named bookkeeping entries. */
    static Set<String> listInstanceFiles(Path root) {
        Set<String> out = new HashSet<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> !p.equals(root))
                    .filter(p -> !root.relativize(p).getName(0).toString().startsWith("."))
                    .filter(Files::isRegularFile)
                    .forEach(p -> out.add(root.relativize(p).toString().replace('\\', '/')));
        } catch (IOException | java.io.UncheckedIOException e) {
            throw StorageException.unavailable("Could not list " + root + " (" + e.getMessage()
                    + "); check the disk and permissions.", e);
        }
        return out;
    }

    /**
     * Only one FileStorage may own a root: two would each keep an index in memory and race on the SQLite
     * file. The OS lock goes away with the process, so a crash never leaves the root locked.
     */
    static FileLock lock(Path root) {
        try {
            FileChannel ch = FileChannel.open(root.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                ch.close();
                throw new StorageException(StorageException.Reason.UNAVAILABLE, "The storage root " + root
                        + " is in use by another FileStorage; close it first or configure another root.");
            }
            return lock;
        } catch (IOException e) {
            throw StorageException.unavailable("Could not lock " + root + " (" + e.getMessage()
                    + "); check that the root is a writable directory.", e);
        }
    }

    static void unlock(FileLock lock) {
        try {
            lock.release();
            lock.channel().close();
        } catch (IOException ignored) {
            // the OS drops the lock with the channel or the process anyway
        }
    }

    /** Removes everything a crashed process left in the spool directory; safe because we hold the lock. */
    static int cleanSpool(Path spool) {
        int n = 0;
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(spool)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    Files.deleteIfExists(p);
                    n++;
                }
            }
        } catch (IOException e) {
            throw StorageException.unavailable("Could not clean the spool directory " + spool + " ("
                    + e.getMessage() + "); check permissions.", e);
        }
        return n;
    }
}
