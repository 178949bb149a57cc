package org.pacs.storage.index;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageStatistics;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.query.QueryMatcher;

/**
 * The in-memory index every backend keeps: each instance's record and query attributes, with study, series
 * and patient reference counts maintained on every change so {@link #statistics()} is O(1). Thread-safe; a
 * read-write lock lets finds run in parallel while stores and removals are brief exclusive updates.
 */
public final class InstanceIndex {

    private record Slot(StoredInstance instance, DicomDataset attributes) {
    }

    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<SopInstanceUid, Slot> slots = new HashMap<>();
    private final Map<String, Integer> studies = new HashMap<>();
    private final Map<String, Integer> series = new HashMap<>();
    private final Map<String, Integer> patients = new HashMap<>();
    private long totalBytes;

    /** Adds or replaces; returns what was there before. */
    public Optional<IndexEntry> put(IndexEntry entry) {
        Slot slot = new Slot(entry.instance(), entry.attributes());
        lock.writeLock().lock();
        try {
            Slot old = slots.put(entry.instance().sopInstanceUid(), slot);
            if (old != null) {
                uncount(old);
            }
            count(slot);
            return Optional.ofNullable(old).map(InstanceIndex::toEntry);
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void putAll(Collection<IndexEntry> entries) {
        for (IndexEntry e : entries) {
            put(e);
        }
    }

    public Optional<IndexEntry> remove(SopInstanceUid uid) {
        lock.writeLock().lock();
        try {
            Slot old = slots.remove(uid);
            if (old != null) {
                uncount(old);
            }
            return Optional.ofNullable(old).map(InstanceIndex::toEntry);
        } finally {
            lock.writeLock().unlock();
        }
    }

    public void clear() {
        lock.writeLock().lock();
        try {
            slots.clear();
            studies.clear();
            series.clear();
            patients.clear();
            totalBytes = 0;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public Optional<StoredInstance> get(SopInstanceUid uid) {
        lock.readLock().lock();
        try {
            Slot s = slots.get(uid);
            return s == null ? Optional.empty() : Optional.of(s.instance());
        } finally {
            lock.readLock().unlock();
        }
    }

    public Optional<IndexEntry> entry(SopInstanceUid uid) {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(slots.get(uid)).map(InstanceIndex::toEntry);
        } finally {
            lock.readLock().unlock();
        }
    }

    public boolean contains(SopInstanceUid uid) {
        lock.readLock().lock();
        try {
            return slots.containsKey(uid);
        } finally {
            lock.readLock().unlock();
        }
    }

    public int size() {
        lock.readLock().lock();
        try {
            return slots.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    public List<StoredInstance> list() {
        lock.readLock().lock();
        try {
            List<StoredInstance> out = new ArrayList<>(slots.size());
            for (Slot s : slots.values()) {
                out.add(s.instance());
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** A snapshot of every entry (attributes copied). */
    public List<IndexEntry> entries() {
        lock.readLock().lock();
        try {
            List<IndexEntry> out = new ArrayList<>(slots.size());
            for (Slot s : slots.values()) {
                out.add(toEntry(s));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs the matcher over every instance under the read lock; the datasets never leave the index. */
    public List<DicomDataset> find(DicomDataset query, QueryMatcher matcher) {
        lock.readLock().lock();
        try {
            List<DicomDataset> attrs = new ArrayList<>(slots.size());
            for (Slot s : slots.values()) {
                attrs.add(s.attributes());
            }
            return matcher.find(query, attrs);
        } finally {
            lock.readLock().unlock();
        }
    }

    public StorageStatistics statistics() {
        lock.readLock().lock();
        try {
            return new StorageStatistics(slots.size(), totalBytes, studies.size(), series.size(), patients.size());
        } finally {
            lock.readLock().unlock();
        }
    }

    private void count(Slot s) {
        totalBytes += s.instance().sizeBytes();
        studies.merge(s.instance().studyInstanceUid(), 1, Integer::sum);
        series.merge(s.instance().seriesInstanceUid(), 1, Integer::sum);
        patients.merge(patientKey(s), 1, Integer::sum);
    }

    private void uncount(Slot s) {
        totalBytes -= s.instance().sizeBytes();
        decrement(studies, s.instance().studyInstanceUid());
        decrement(series, s.instance().seriesInstanceUid());
        decrement(patients, patientKey(s));
    }

    /** Instances without a Patient ID count as one anonymous patient, as a PACS would group them. */
    private static String patientKey(Slot s) {
        return s.attributes().getString(Tag.PatientID, "");
    }

    private static void decrement(Map<String, Integer> counts, String key) {
        counts.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
    }

    private static IndexEntry toEntry(Slot s) {
        return new IndexEntry(s.instance(), s.attributes());
    }
}
