package org.pacs.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.pacs.storage.dicom.DicomDataset;

/**
 * Where DICOM instances live (spec §2, DES-STOR-001). Every implementation is thread-safe, keeps the exact
 * bytes it was given (a stored Part 10 file comes back with the same SHA-256) and raises only
 * {@link StorageException}.
 */
public interface StorageBackend extends AutoCloseable {

    /** Encodes an in-memory dataset as Part 10 (Explicit VR Little Endian unless its meta says otherwise). */
    StoredInstance store(DicomDataset dataset);

    /** Stores a Part 10 file byte for byte, streaming: the pixel data never sits in the heap. */
    StoredInstance store(Path file);

    /** Stores a Part 10 stream byte for byte, streaming. The stream is read to its end but not closed. */
    StoredInstance store(InputStream in);

    /** Reads the whole instance into memory; for large instances prefer {@link #open}. */
    DicomDataset retrieve(SopInstanceUid uid);

    /** The exact stored bytes as a stream; the caller closes it. */
    InputStream open(SopInstanceUid uid);

    /** Index data for one instance, without reading its bytes. */
    Optional<StoredInstance> describe(SopInstanceUid uid);

    void remove(SopInstanceUid uid);

    boolean exists(SopInstanceUid uid);

    /**
     * PS3.4 C.2.2.2 matching: the query's non-empty attributes are keys, its empty attributes are return
     * keys; the level comes from Query/Retrieve Level (0008,0052), default IMAGE. One result per entity.
     */
    List<DicomDataset> find(DicomDataset query);

    /**
     * At most {@code limit} results of {@link #find(DicomDataset)}'s answer after skipping {@code offset}, in a
     * stable order (QIDO-RS pages through large answers). The default slices the whole answer; the catalog pages
     * in SQL.
     */
    default List<DicomDataset> find(DicomDataset query, int limit, int offset) {
        if (limit < 0 || offset < 0) {
            throw StorageException.invalidInput("A find page needs a limit and an offset of 0 or more; got limit "
                    + limit + ", offset " + offset + ".");
        }
        List<DicomDataset> all = find(query);
        int from = (int) Math.min(all.size(), (long) offset);
        int to = (int) Math.min(all.size(), (long) from + limit);
        return List.copyOf(all.subList(from, to));
    }

    /** Every instance the index knows, in no particular order. */
    List<StoredInstance> list();

    default List<StoredInstance> storeBatch(List<DicomDataset> datasets) {
        List<StoredInstance> out = new ArrayList<>(datasets.size());
        for (DicomDataset d : datasets) {
            out.add(store(d));
        }
        return out;
    }

    default List<DicomDataset> retrieveBatch(List<SopInstanceUid> uids) {
        List<DicomDataset> out = new ArrayList<>(uids.size());
        for (SopInstanceUid uid : uids) {
            out.add(retrieve(uid));
        }
        return out;
    }

    /**
     * A group of writes made durable together (see {@link WriteBatch}); for bulk moves such as tier migration.
     * By default each write is durable on its own.
     */
    default WriteBatch batch() {
        return WriteBatch.immediate(this);
    }

    StorageStatistics statistics();

    /** Re-reads every instance, compares SHA-256 with the index, and lists missing, corrupt and orphaned. */
    IntegrityReport verifyIntegrity();

    /** Releases clients, files and threads. Idempotent. */
    @Override
    void close();
}
