package org.pacs.storage.file;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.WriteBatch;
import org.pacs.storage.index.IndexEntry;

/**
 * FileStorage's {@link WriteBatch}: each file is still forced before its rename, but the directories touched
 * and the index rows are made durable once per commit. Between a store and the commit the instance is served
 * from memory and its file sits under its final name with no index row: a crash there leaves a complete file
 * that the next open indexes from its header (or a REMOVING row it finishes), so nothing is half-done.
 */
final class FileWriteBatch implements WriteBatch {

    private final FileStorage storage;
    private final Set<Path> dirs = new LinkedHashSet<>();
    private final List<IndexEntry> added = new ArrayList<>();
    private final List<SopInstanceUid> removed = new ArrayList<>();

    FileWriteBatch(FileStorage storage) {
        this.storage = storage;
    }

    @Override
    public StoredInstance store(InputStream in) {
        return storage.inBatch(this, () -> storage.store(in));
    }

    @Override
    public void remove(SopInstanceUid uid) {
        storage.inBatch(this, () -> {
            storage.remove(uid);
            return null;
        });
    }

    @Override
    public void commit() {
        if (dirs.isEmpty() && added.isEmpty() && removed.isEmpty()) {
            return;
        }
        storage.commitBatch(dirs, added, removed);
        dirs.clear();
        added.clear();
        removed.clear();
    }

    void syncLater(Path dir) {
        dirs.add(dir);
    }

    void added(IndexEntry entry) {
        added.add(entry);
    }

    void removed(SopInstanceUid uid) {
        removed.add(uid);
    }
}
