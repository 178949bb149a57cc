package org.pacs.storage.blob;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;

/**
 * A blob store that hands every call to another one unchanged: the base of wrappers that observe a real store
 * (tests that count ranged reads, benchmarks that count bytes) and override only what they watch.
 */
public class ForwardingBlobStore implements BlobStore {

    protected final BlobStore store;

    public ForwardingBlobStore(BlobStore store) {
        this.store = Objects.requireNonNull(store, "store");
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
    public boolean takesOver(LocalBlob blob) {
        return store.takesOver(blob);
    }

    @Override
    public BlobInfo put(String key, LocalBlob blob) {
        return store.put(key, blob);
    }

    @Override
    public InputStream open(String key) {
        return store.open(key);
    }

    @Override
    public InputStream open(String key, long offset, long length) {
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
    public Optional<SopInstanceUid> uidOf(BlobInfo blob) {
        return store.uidOf(blob);
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
