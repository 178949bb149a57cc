package org.pacs.storage.file;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.WriteBatch;
import org.pacs.storage.index.AbstractIndexedBackend;
import org.pacs.storage.index.IndexEntry;
import org.pacs.storage.query.QueryMatcher;
import org.pacs.storage.spool.InstanceSpooler;
import org.pacs.storage.spool.SpooledInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances as files under a root directory (spec §10.3). A store spools into {@code root/.tmp} (same file
 * system), forces the file, renames it atomically to its final name and forces the directory, so a crash
 * never leaves a partial file under a final name; leftovers in {@code .tmp} are deleted at open.
 * <p>The index lives in memory and in {@code root/.pacs-index.db} (see {@link FileIndexStore}). At open the
 * file's rows are loaded, interrupted replacements and removals are finished, and every instance file the
 * index does not know (a crash between rename and index write, or a missing or unreadable index file) is
 * read back from its header and hashed: the files are the truth, the index a cache of them.
 */
public final class FileStorage extends AbstractIndexedBackend {

    private static final Logger LOG = LoggerFactory.getLogger(FileStorage.class);

    private final FileStorageConfig config;
    private final Path root;
    private final FileLock lock;
    private final FileIndexStore db;
    private final java.util.concurrent.atomic.AtomicLong tempCounter = new java.util.concurrent.atomic.AtomicLong();
    /** The batch whose store or removal runs on this thread right now, if any: it takes the deferred syncs. */
    private final ThreadLocal<FileWriteBatch> batchOnThread = new ThreadLocal<>();

    public FileStorage(FileStorageConfig config) {
        super(new InstanceSpooler(config.root().resolve(FileTree.SPOOL_DIR)), config.duplicatePolicy(),
                QueryMatcher.DEFAULT);
        this.config = config;
        this.root = config.root();
        try {
            Files.createDirectories(root.resolve(FileTree.SPOOL_DIR));
        } catch (IOException e) {
            throw StorageException.invalidInput("Cannot create the storage root " + root + " (" + e.getMessage()
                    + "); give a writable directory.");
        }
        this.lock = FileTree.lock(root);
        try {
            int leftovers = FileTree.cleanSpool(root.resolve(FileTree.SPOOL_DIR));
            if (leftovers > 0) {
                LOG.info("Deleted {} unfinished write(s) left in {}", leftovers, root.resolve(FileTree.SPOOL_DIR));
            }
            this.db = openIndex();
            recover();
        } catch (RuntimeException e) {
            FileTree.unlock(lock);
            throw e;
        }
    }

    public FileStorageConfig config() {
        return config;
    }

    /**
     * FileStorage needs its own copy of the file anyway, so it spools the file as a stream: hashing while
     * copying reads the source once, where hashing in place and then copying would read it twice.
     */
    @Override
    public StoredInstance store(Path file) {
        if (!Files.isRegularFile(file)) {
            throw StorageException.invalidInput(file + " is not a readable file; give the path of a DICOM Part 10 file.");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return store(in);
        } catch (IOException e) {
            throw StorageException.invalidInput("Could not read " + file + " (" + e.getMessage()
                    + "); check that it exists and is readable.");
        }
    }

    /** With fsync on, a batch forces each file but its directories and index rows once, at commit. */
    @Override
    public WriteBatch batch() {
        ensureOpen();
        return config.fsync() ? new FileWriteBatch(this) : WriteBatch.immediate(this);
    }

    /** Runs one store or removal of {@code batch} on this thread, so the hooks below defer to it. */
    <T> T inBatch(FileWriteBatch batch, java.util.function.Supplier<T> work) {
        batchOnThread.set(batch);
        try {
            return work.get();
        } finally {
            batchOnThread.remove();
        }
    }

    /**
     * Makes a batch durable: its directories first (the renames and unlinks), then one index transaction. Rows
     * are written only for instances the in-memory index still holds as stored and deleted only for those it
     * no longer holds, under the index lock, so a store or removal racing with the batch keeps its own result.
     */
    void commitBatch(java.util.Collection<Path> dirs, List<IndexEntry> added, List<SopInstanceUid> removed) {
        ensureOpen();
        dirs.forEach(DurableFiles::forceDirectory);
        synchronized (db) {
            List<IndexEntry> stillStored = added.stream().filter(e -> index().get(e.instance().sopInstanceUid())
                    .filter(e.instance()::equals).isPresent()).toList();
            List<SopInstanceUid> stillRemoved = removed.stream().filter(u -> !index().contains(u)).toList();
            db.apply(stillStored, stillRemoved);
        }
    }

    /** Where a changed directory goes to be forced: now, to this thread's batch (when deferrable), or nowhere. */
    private java.util.function.Consumer<Path> directorySync(boolean deferrable) {
        FileWriteBatch batch = deferrable ? batchOnThread.get() : null;
        if (!config.fsync()) {
            return dir -> { };
        }
        return batch == null ? DurableFiles::forceDirectory : batch::syncLater;
    }

    // ---- object operations ---------------------------------------------------------------------------

    @Override
    protected void writeObject(SpooledInstance source, StoredInstance previous) {
        Path target = resolve(objectKey(source.instance()));
        Path tmp = null;
        try {
            // a replacement's row is rewritten at once, so its rename must be durable at once too
            DurableFiles.createDirectories(root, target.getParent(), directorySync(previous == null));
            if (source.claim()) {
                tmp = source.path();
            } else {
                // The caller's own file: copy it into the spool so the rename below stays atomic. A counter
                // names it (we hold the root's lock, so no other process writes there): creating files is
                // the slow part of a small store, and createTempFile would add a second create.
                tmp = root.resolve(FileTree.SPOOL_DIR).resolve("copy-" + tempCounter.incrementAndGet() + ".tmp");
                Files.copy(source.path(), tmp);
            }
            if (previous != null) {
                db.setState(previous.sopInstanceUid(), FileIndexStore.REPLACING);
            }
            DurableFiles.publish(tmp, target, config.fsync(), directorySync(previous == null));
            tmp = null;
        } catch (IOException e) {
            throw StorageException.unavailable("Could not write " + target + " (" + e.getMessage()
                    + "); check free space and permissions under " + root + ". Nothing was stored.", e);
        } finally {
            if (tmp != null) {
                DurableFiles.deleteQuietly(tmp);
            }
        }
    }

    @Override
    protected void indexed(IndexEntry entry, StoredInstance previous) {
        FileWriteBatch batch = batchOnThread.get();
        if (batch != null && previous == null) {
            batch.added(entry); // a new instance: its row is written at commit (a crash before: re-read at open)
            return;
        }
        String key = objectKey(entry.instance());
        try {
            db.upsert(entry);
        } catch (StorageException e) {
            if (previous == null) {
                // Unindexed would mean invisible until the next open: take the file back instead.
                DurableFiles.deleteQuietly(resolve(key));
            }
            throw e;
        }
        if (previous != null && !objectKey(previous).equals(key)) {
            Path old = resolve(objectKey(previous));
            DurableFiles.deleteQuietly(old);
            if (config.fsync()) {
                DurableFiles.forceDirectory(old.getParent());
            }
        }
    }

    @Override
    protected InputStream readObject(StoredInstance instance) {
        Path p = resolve(objectKey(instance));
        try {
            return Files.newInputStream(p);
        } catch (NoSuchFileException e) {
            throw new StorageException(StorageException.Reason.NOT_FOUND, "The file of instance "
                    + instance.sopInstanceUid() + " (" + p + ") is missing although the index lists it; restore it"
                    + " from a copy or remove the instance, and run verify-integrity to find others.", e);
        } catch (IOException e) {
            throw StorageException.unavailable("Could not open " + p + " (" + e.getMessage()
                    + "); check the disk and permissions.", e);
        }
    }

    /**
     * The row is marked REMOVING before the file goes, so a crash in between is finished at the next open
     * rather than resurrecting the instance. Empty directories are left in place: pruning them would race
     * with a concurrent store creating a file in the same series.
     */
    @Override
    protected void deleteObject(StoredInstance instance) {
        if (batchOnThread.get() != null) {
            db.setStateUnsynced(instance.sopInstanceUid(), FileIndexStore.REMOVING); // survives a process crash
        } else {
            db.setState(instance.sopInstanceUid(), FileIndexStore.REMOVING);
        }
        Path p = resolve(objectKey(instance));
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            db.setState(instance.sopInstanceUid(), FileIndexStore.OK);
            throw StorageException.unavailable("Could not delete " + p + " (" + e.getMessage()
                    + "); check permissions. The instance is still stored.", e);
        }
        directorySync(true).accept(p.getParent());
    }

    @Override
    protected void unindexed(StoredInstance instance) {
        FileWriteBatch batch = batchOnThread.get();
        if (batch != null) {
            batch.removed(instance.sopInstanceUid());
        } else {
            db.delete(instance.sopInstanceUid());
        }
    }

    @Override
    protected String objectKey(StoredInstance instance) {
        return config.layout().relativePath(instance);
    }

    @Override
    protected Set<String> listObjectKeys() {
        return FileTree.listInstanceFiles(root);
    }

    @Override
    protected void closeResources() {
        db.close();
        FileTree.unlock(lock);
    }

    /** UIDs are validated upstream; this check keeps a future layout bug from ever writing outside the root. */
    private Path resolve(String relative) {
        Path p = root.resolve(relative).normalize();
        if (!p.startsWith(root) || p.equals(root)) {
            throw StorageException.invalidInput("Refusing path " + relative + " outside the storage root " + root + ".");
        }
        return p;
    }

    // ---- open: index file and recovery ---------------------------------------------------------------

    private FileIndexStore openIndex() {
        Path file = root.resolve(FileTree.INDEX_FILE);
        try {
            FileIndexStore store = FileIndexStore.open(file, config.fsync(), config.layout());
            FileLayout created = store.layout();
            if (created != config.layout()) {
                store.close();
                throw StorageException.invalidInput("The storage root " + root + " was created with layout "
                        + created + " but " + config.layout() + " is configured; configure " + created
                        + " or use a new root.");
            }
            return store;
        } catch (SQLException e) {
            Path aside = root.resolve(FileTree.INDEX_FILE + ".unreadable-" + System.currentTimeMillis());
            LOG.warn("Index {} is unreadable ({}); moving it to {} and rebuilding from the instance files",
                    file, e.getMessage(), aside);
            try {
                Files.move(file, aside);
                Files.deleteIfExists(root.resolve(FileTree.INDEX_FILE + "-wal"));
                Files.deleteIfExists(root.resolve(FileTree.INDEX_FILE + "-shm"));
                return FileIndexStore.open(file, config.fsync(), config.layout());
            } catch (IOException | SQLException e2) {
                throw StorageException.unavailable("Could not rebuild the index " + file + " (" + e2.getMessage()
                        + "); check permissions under " + root + ".", e2);
            }
        }
    }

    private void recover() {
        List<FileIndexStore.Row> rows;
        try {
            rows = db.loadAll();
        } catch (SQLException | RuntimeException e) {
            throw StorageException.unavailable("Could not read the index " + root.resolve(FileTree.INDEX_FILE)
                    + " (" + e.getMessage() + "); delete it to have it rebuilt from the instance files.", e);
        }
        for (FileIndexStore.Row row : rows) {
            StoredInstance inst = row.entry().instance();
            switch (row.state()) {
                case FileIndexStore.REMOVING -> {
                    DurableFiles.deleteQuietly(resolve(objectKey(inst)));
                    db.delete(inst.sopInstanceUid());
                }
                case FileIndexStore.REPLACING -> {
                    // Either version may be on disk: believe the file; if it is gone the row stays and
                    // verify-integrity reports it missing.
                    index().put(row.entry());
                    readBack(objectKey(inst)).ifPresent(e -> {
                        index().put(e);
                        db.upsert(e);
                    });
                }
                default -> index().put(row.entry());
            }
        }
        List<IndexEntry> found = new ArrayList<>();
        Set<String> known = new java.util.HashSet<>();
        for (StoredInstance i : index().list()) {
            known.add(objectKey(i));
        }
        for (String key : FileTree.listInstanceFiles(root)) {
            if (!known.contains(key)) {
                readBack(key).filter(e -> !index().contains(e.instance().sopInstanceUid())).ifPresent(found::add);
            }
        }
        if (!found.isEmpty()) {
            LOG.info("Indexed {} instance file(s) under {} that the index did not list", found.size(), root);
            db.upsertAll(found);
            index().putAll(found);
        }
    }

    /**
     * Describes a file found on disk, keeping it only if it sits exactly where the layout would put it: a
     * file anywhere else is an orphan for verify-integrity to report, not an instance to serve.
     */
    private java.util.Optional<IndexEntry> readBack(String key) {
        String name = key.substring(key.lastIndexOf('/') + 1);
        if (!name.endsWith(FileLayout.EXTENSION)
                || !SopInstanceUid.isValid(name.substring(0, name.length() - FileLayout.EXTENSION.length()))) {
            return java.util.Optional.empty();
        }
        Path p = resolve(key);
        try (SpooledInstance s = spooler().spool(p)) {
            StoredInstance i = s.instance();
            if (!objectKey(i).equals(key)) {
                LOG.warn("{} holds instance {} whose place is {}; left as an orphan", p, i.sopInstanceUid(), objectKey(i));
                return java.util.Optional.empty();
            }
            // Age-based tier policies read storedAt, so a rebuilt index keeps the file's age.
            Instant storedAt = Files.getLastModifiedTime(p).toInstant();
            StoredInstance aged = new StoredInstance(i.sopInstanceUid(), i.studyInstanceUid(), i.seriesInstanceUid(),
                    i.sopClassUid(), i.transferSyntaxUid(), i.sizeBytes(), i.sha256(), storedAt);
            return java.util.Optional.of(new IndexEntry(aged, s.attributes()));
        } catch (StorageException | IOException e) {
            LOG.warn("{} is not a readable instance ({}); left as an orphan", p, e.getMessage());
            return java.util.Optional.empty();
        }
    }
}
