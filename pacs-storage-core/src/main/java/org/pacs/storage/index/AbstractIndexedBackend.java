package org.pacs.storage.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.IntegrityReport;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageStatistics;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.query.QueryMatcher;
import org.pacs.storage.spool.DuplicateAction;
import org.pacs.storage.spool.InstanceSpooler;
import org.pacs.storage.spool.SpooledInstance;

/**
 * Everything a backend does except moving bytes: ingest through the shared spooler, the duplicate policy,
 * the in-memory index (find, exists, describe, list, statistics) and integrity checking. A backend
 * implements the five object operations below and, if its index must outlive the process, the hooks.
 * <p>Stores of the same SOP Instance UID are serialised by a striped lock so the duplicate decision and the
 * write are atomic; different UIDs proceed in parallel, and spooling (the slow part) happens outside it.
 */
public abstract class AbstractIndexedBackend implements StorageBackend {

    private static final int STRIPES = 64;

    private final InstanceIndex index = new InstanceIndex();
    private final InstanceSpooler spooler;
    private final DuplicatePolicy duplicatePolicy;
    private final QueryMatcher matcher;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    private volatile boolean closed;

    protected AbstractIndexedBackend(InstanceSpooler spooler, DuplicatePolicy duplicatePolicy, QueryMatcher matcher) {
        this.spooler = Objects.requireNonNull(spooler, "spooler");
        this.duplicatePolicy = Objects.requireNonNull(duplicatePolicy, "duplicatePolicy");
        this.matcher = Objects.requireNonNull(matcher, "matcher");
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    // ---- what a backend implements ------------------------------------------------------------------

    /**
     * Makes the spooled bytes durable under the instance's key, replacing {@code previous} when not null.
     * Must be all-or-nothing: on failure nothing new is readable under the key and {@code previous} is intact.
     */
    protected abstract void writeObject(SpooledInstance source, StoredInstance previous);

    /** The stored bytes; NOT_FOUND when the object is gone although the index knows it. */
    protected abstract InputStream readObject(StoredInstance instance);

    /** Deletes the stored bytes; absent objects are not an error. */
    protected abstract void deleteObject(StoredInstance instance);

    /** The object name or relative path the instance lives under, as {@link #listObjectKeys()} reports it. */
    protected abstract String objectKey(StoredInstance instance);

    /** Every instance object the backend holds (not its own metadata files), for finding orphans. */
    protected abstract Set<String> listObjectKeys();

    /** Releases clients and files; called once by {@link #close()}. */
    protected abstract void closeResources();

    // ---- hooks for backends whose index is persisted ------------------------------------------------

    /** Called after {@link #writeObject} succeeded and before the in-memory index shows the entry. */
    protected void indexed(IndexEntry entry, StoredInstance previous) {
    }

    /** Called after {@link #deleteObject} and the in-memory removal. */
    protected void unindexed(StoredInstance instance) {
    }

    protected final InstanceIndex index() {
        return index;
    }

    protected final InstanceSpooler spooler() {
        return spooler;
    }

    public final DuplicatePolicy duplicatePolicy() {
        return duplicatePolicy;
    }

    // ---- StorageBackend ------------------------------------------------------------------------------

    @Override
    public StoredInstance store(DicomDataset dataset) {
        ensureOpen();
        try (SpooledInstance s = spooler.spool(dataset)) {
            return commit(s);
        }
    }

    @Override
    public StoredInstance store(Path file) {
        ensureOpen();
        try (SpooledInstance s = spooler.spool(file)) {
            return commit(s);
        }
    }

    @Override
    public StoredInstance store(InputStream in) {
        ensureOpen();
        try (SpooledInstance s = spooler.spool(in)) {
            return commit(s);
        }
    }

    /** Applies the duplicate policy and writes; used by every store variant. */
    protected final StoredInstance commit(SpooledInstance s) {
        StoredInstance incoming = s.instance();
        ReentrantLock lock = stripe(incoming.sopInstanceUid());
        lock.lock();
        try {
            ensureOpen();
            StoredInstance existing = index.get(incoming.sopInstanceUid()).orElse(null);
            DuplicateAction action = DuplicateAction.decide(duplicatePolicy, existing, incoming.sha256());
            if (action == DuplicateAction.KEEP_EXISTING) {
                return existing;
            }
            writeObject(s, existing);
            IndexEntry entry = new IndexEntry(incoming, s.attributes());
            indexed(entry, existing);
            index.put(entry);
            return incoming;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public DicomDataset retrieve(SopInstanceUid uid) {
        try (InputStream in = open(uid)) {
            DicomFile f = DicomReader.read(in);
            // The meta group travels with the dataset so storing it again keeps its transfer syntax.
            DicomDataset d = f.dataset().copy();
            for (var e : f.fileMeta().elements()) {
                d.put(e);
            }
            return d;
        } catch (IOException e) {
            throw StorageException.unavailable("Reading instance " + uid + " failed (" + e.getMessage()
                    + "); retry, and run verify-integrity if it persists.", e);
        }
    }

    @Override
    public InputStream open(SopInstanceUid uid) {
        ensureOpen();
        return readObject(require(uid));
    }

    @Override
    public Optional<StoredInstance> describe(SopInstanceUid uid) {
        ensureOpen();
        return index.get(Objects.requireNonNull(uid, "uid"));
    }

    @Override
    public void remove(SopInstanceUid uid) {
        ensureOpen();
        ReentrantLock lock = stripe(uid);
        lock.lock();
        try {
            StoredInstance inst = require(uid);
            deleteObject(inst);
            index.remove(uid);
            unindexed(inst);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean exists(SopInstanceUid uid) {
        ensureOpen();
        return index.contains(Objects.requireNonNull(uid, "uid"));
    }

    @Override
    public List<DicomDataset> find(DicomDataset query) {
        ensureOpen();
        return index.find(Objects.requireNonNull(query, "query"), matcher);
    }

    @Override
    public List<StoredInstance> list() {
        ensureOpen();
        return index.list();
    }

    @Override
    public StorageStatistics statistics() {
        ensureOpen();
        return index.statistics();
    }

    /**
     * Hashes every indexed object and compares with the index; objects nobody indexed are orphans. Meant for
     * a quiet backend: an instance stored while this runs is at worst reported on the next run.
     */
    @Override
    public IntegrityReport verifyIntegrity() {
        ensureOpen();
        List<StoredInstance> entries = index.list();
        Set<String> present = listObjectKeys();
        List<SopInstanceUid> missing = new ArrayList<>();
        List<SopInstanceUid> corrupt = new ArrayList<>();
        long checked = 0;
        for (StoredInstance inst : entries) {
            if (!present.contains(objectKey(inst))) {
                missing.add(inst.sopInstanceUid());
                continue;
            }
            try (InputStream in = readObject(inst)) {
                checked++;
                if (!sha256(in).equals(inst.sha256())) {
                    corrupt.add(inst.sopInstanceUid());
                }
            } catch (StorageException e) {
                if (e.reason() == StorageException.Reason.ARCHIVED) {
                    // Present but unreadable until restored (S3 Glacier, Azure Archive): not checked this time.
                    continue;
                }
                if (e.reason() != StorageException.Reason.NOT_FOUND) {
                    throw e;
                }
                missing.add(inst.sopInstanceUid());
            } catch (IOException e) {
                corrupt.add(inst.sopInstanceUid());
            }
        }
        // Re-read the index after listing: something stored in between is not an orphan.
        Map<String, StoredInstance> known = new HashMap<>();
        for (StoredInstance inst : index.list()) {
            known.put(objectKey(inst), inst);
        }
        List<String> orphaned = present.stream().filter(k -> !known.containsKey(k)).sorted().toList();
        return new IntegrityReport(checked, missing.stream().sorted().toList(), corrupt.stream().sorted().toList(),
                orphaned);
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            closeResources();
        }
    }

    protected final void ensureOpen() {
        if (closed) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE,
                    getClass().getSimpleName() + " is closed; open a new one.");
        }
    }

    protected final StoredInstance require(SopInstanceUid uid) {
        Objects.requireNonNull(uid, "uid");
        return index.get(uid).orElseThrow(() -> StorageException.notFound(uid));
    }

    private ReentrantLock stripe(SopInstanceUid uid) {
        return stripes[Math.floorMod(uid.hashCode(), STRIPES)];
    }

    /** SHA-256 of a stream, read through a fixed buffer. */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (DigestInputStream d = new DigestInputStream(in, md)) {
            d.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
