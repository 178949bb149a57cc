package org.pacs.storage.dicomweb;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.BlobInfo;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.blob.LocalBlob;

/**
 * A real blob store with every read it serves written down: it only observes (each call goes to the store
 * unchanged), so a test can tell a ranged read of one frame from a download of the whole instance.
 */
final class RecordingBlobStore implements BlobStore {

    /** One open: {@code length} -1 for a whole-blob open. */
    record Read(String key, long offset, long length) {
        boolean whole() {
            return length < 0;
        }
    }

    private final BlobStore store;
    final List<Read> reads = new CopyOnWriteArrayList<>();

    RecordingBlobStore(BlobStore store) {
        this.store = store;
    }

    @Override
    public String keyFor(StoredInstance instance) {
        return store.keyFor(instance);
    }

    @Override
    public Path spoolDir() {
        return store.spoolDir();
    }

    @Override
    public BlobInfo put(String key, LocalBlob blob) {
        return store.put(key, blob);
    }

    @Override
    public InputStream open(String key) {
        reads.add(new Read(key, 0, -1));
        return store.open(key);
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        reads.add(new Read(key, offset, length));
        return store.open(key, offset, length);
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        return store.head(key);
    }

    @Override
    public void delete(String key) {
        store.delete(key);
    }

    @Override
    public Stream<BlobInfo> list() {
        return store.list();
    }

    @Override
    public boolean verify(String key, String sha256, long size) {
        return store.verify(key, sha256, size);
    }

    @Override
    public boolean carriesMetadata() {
        return store.carriesMetadata();
    }

    @Override
    public String describe() {
        return store.describe();
    }

    @Override
    public void close() {
        store.close();
    }
}
