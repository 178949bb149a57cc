package org.pacs.storage.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.BlobInfo;
import org.pacs.storage.blob.LocalBlob;
import org.pacs.storage.blob.SupportsBatchedDurability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blobs as files under a root directory (spec §10.3). A put forces the file, renames it atomically to its final
 * name and forces the directory, so a crash never leaves a partial file under a final name. The store keeps no
 * index and takes no lock: several processes share one root, and opening it costs the same at 20 files and at
 * 20 million. Its own entries (the spool directory, old index files) start with a dot, which no UID can.
 */
public final class FileBlobStore implements SupportsBatchedDurability {

    private static final Logger LOG = LoggerFactory.getLogger(FileBlobStore.class);
    /** A spool file untouched this long belongs to a process that died: no live write pauses for an hour. */
    static final Duration STALE_SPOOL = Duration.ofHours(1);

    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> SPOOL_MODE =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");

    private final FileStorageConfig config;
    private final Path root;
    private final Path spool;
    private final AtomicLong counter = new AtomicLong();
    private final String processTag = Long.toHexString(ProcessHandle.current().pid()) + "-"
            + Long.toHexString(new java.util.Random().nextInt() & 0xffffffffL);

    public FileBlobStore(FileStorageConfig config) {
        this.config = config;
        this.root = config.root();
        this.spool = root.resolve(FileTree.SPOOL_DIR);
        try {
            FilePermissions.createDirectories(spool, config);
        } catch (IOException e) {
            throw StorageException.invalidInput("Cannot create the storage root " + root + " (" + e.getMessage()
                    + "); give a writable directory.");
        }
        FileTree.checkLayout(root, config);
        int stale = FileTree.cleanSpool(spool, Instant.now().minus(STALE_SPOOL));
        if (stale > 0) {
            LOG.info("Deleted {} unfinished write(s) left in {} by a process that stopped", stale, spool);
        }
    }

    public FileStorageConfig config() {
        return config;
    }

    public Path root() {
        return root;
    }

    @Override
    public String keyFor(StoredInstance instance) {
        return config.layout().relativePath(instance);
    }

    @Override
    public Path spoolDir() {
        return spool;
    }

    @Override
    public boolean takesOver(LocalBlob blob) {
        return blob.movable() && blob.path().startsWith(spool); // spooled on this file system: renamed, no copy
    }

    @Override
    public boolean forcesSpools() {
        return config.fsync();
    }

    @Override
    public BlobInfo put(String key, LocalBlob blob) {
        return write(key, blob, syncNow());
    }

    @Override
    public InputStream open(String key) {
        Path p = resolve(key);
        try {
            return Files.newInputStream(p);
        } catch (NoSuchFileException e) {
            throw missing(key, p, e);
        } catch (IOException e) {
            throw StorageException.unavailable("Could not open " + p + " (" + e.getMessage()
                    + "); check the disk and permissions.", e);
        }
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw StorageException.invalidInput("A byte range needs a non-negative offset and length.");
        }
        Path p = resolve(key);
        try {
            FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
            ch.position(offset);
            return org.pacs.storage.spi.BoundedInputStream.upTo(Channels.newInputStream(ch), length);
        } catch (NoSuchFileException e) {
            throw missing(key, p, e);
        } catch (IOException e) {
            throw StorageException.unavailable("Could not read " + p + " (" + e.getMessage()
                    + "); check the disk and permissions.", e);
        }
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        Path p = resolve(key);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return a.isRegularFile() ? Optional.of(BlobInfo.of(key, a.size(), a.lastModifiedTime().toInstant()))
                    : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw StorageException.unavailable("Could not read " + p + " (" + e.getMessage()
                    + "); check the disk and permissions.", e);
        }
    }

    @Override
    public void delete(String key) {
        remove(key, syncNow());
    }

    @Override
    public Stream<BlobInfo> list() {
        return FileTree.walkInstanceFiles(root).map(p -> {
            try {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                return BlobInfo.of(root.relativize(p).toString().replace('\\', '/'), a.size(),
                        a.lastModifiedTime().toInstant());
            } catch (IOException e) {
                return null; // removed while listing: not there any more
            }
        }).filter(java.util.Objects::nonNull);
    }

    @Override
    public String describe() {
        return "file:" + root;
    }

    @Override
    public Batch batch() {
        return new Batch();
    }

    /** One directory sync for every directory the batches touched, however many of them share it. */
    @Override
    public void commit(java.util.List<BlobBatch> batches) {
        Set<Path> dirs = new LinkedHashSet<>();
        for (BlobBatch b : batches) {
            if (b instanceof Batch mine) {
                dirs.addAll(mine.dirs);
                mine.dirs.clear();
            } else {
                b.commit();
            }
        }
        dirs.forEach(DurableFiles::forceDirectory);
    }

    @Override
    public void close() {
        // nothing held: no index, no lock, no open files between calls
    }

    @Override
    public String toString() {
        return "FileBlobStore[" + root + "]";
    }

    /**
     * One thread's puts and deletes whose directories are forced once, at commit; each file is still forced
     * before its rename, so a crash before the commit leaves each file whole or absent.
     */
    public final class Batch implements BlobBatch {
        private final Set<Path> dirs = new LinkedHashSet<>();

        @Override
        public BlobInfo put(String key, LocalBlob blob) {
            return write(key, blob, config.fsync() ? dirs::add : d -> { });
        }

        @Override
        public void delete(String key) {
            remove(key, config.fsync() ? dirs::add : d -> { });
        }

        @Override
        public void commit() {
            dirs.forEach(DurableFiles::forceDirectory);
            dirs.clear();
        }
    }

    // ---- the steps ---------------------------------------------------------------------------------------

    private Consumer<Path> syncNow() {
        return config.fsync() ? DurableFiles::forceDirectory : d -> { };
    }

    private BlobInfo write(String key, LocalBlob blob, Consumer<Path> syncDirectory) {
        Path target = resolve(key);
        Path tmp = null;
        try {
            FilePermissions.createDirectories(root, target.getParent(), config, syncDirectory);
            boolean forced = false;
            if (takesOver(blob)) {
                tmp = blob.path();
                if (!config.fileMode().equals(SPOOL_MODE)) {
                    FilePermissions.apply(tmp, config); // spool files are made 0600; this tier wants another mode
                } else {
                    forced = blob.forced(); // forced as it was spooled; a mode change would need forcing again
                }
            } else {
                tmp = spool.resolve("copy-" + processTag + "-" + counter.incrementAndGet() + ".tmp");
                FilePermissions.copy(blob.path(), blob.size(), tmp, config, config.fsync());
                forced = config.fsync();
            }
            DurableFiles.publish(tmp, target, config.fsync() && !forced, syncDirectory);
            tmp = null;
            return BlobInfo.of(key, blob.size(), Instant.now());
        } catch (IOException e) {
            if (FilePermissions.isOutOfSpace(e)) {
                throw new StorageException(StorageException.Reason.OUT_OF_SPACE, "The file system of " + root
                        + " is full (" + e.getMessage() + "); free space, release hot copies or add capacity."
                        + " Nothing was stored.", e);
            }
            throw StorageException.unavailable("Could not write " + target + " (" + e.getMessage()
                    + "); check free space and permissions under " + root + ". Nothing was stored.", e);
        } finally {
            if (tmp != null && !tmp.equals(blob.path())) {
                DurableFiles.deleteQuietly(tmp);
            }
        }
    }

    private void remove(String key, Consumer<Path> syncDirectory) {
        Path p = resolve(key);
        try {
            if (Files.deleteIfExists(p)) {
                syncDirectory.accept(p.getParent());
            }
        } catch (IOException e) {
            if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return; // e.g. a file where a folder of the path should be: there is no such blob
            }
            throw StorageException.unavailable("Could not delete " + p + " (" + e.getMessage()
                    + "); check permissions. The blob is still stored.", e);
        }
    }

    /** Keys come from validated UIDs; this check keeps any key, even a hostile one, inside the root. */
    private Path resolve(String key) {
        Path p = root.resolve(key).normalize();
        if (!p.startsWith(root) || p.equals(root) || root.relativize(p).getName(0).toString().startsWith(".")) {
            throw StorageException.invalidInput("Refusing key " + key + ": it is outside the storage root " + root
                    + " or names its bookkeeping.");
        }
        return p;
    }

    private static StorageException missing(String key, Path p, Exception e) {
        return new StorageException(StorageException.Reason.NOT_FOUND, "The file " + p + " (" + key + ") is"
                + " missing; restore it from a copy, and run verify to find others.", e);
    }
}
