package org.pacs.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pacs.storage.dicom.DicomDataset;

/**
 * A backend that passes every call on to another: the base for decorators (a hook before stores, archive
 * behaviour, metrics), which then override only what they change. {@link #batch()} is deliberately not passed
 * on: the default batch writes through this object's own store and remove, so a decorator sees those too.
 */
public abstract class ForwardingStorageBackend implements StorageBackend {

    private final StorageBackend delegate;

    protected ForwardingStorageBackend(StorageBackend delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    protected final StorageBackend delegate() {
        return delegate;
    }

    @Override
    public StoredInstance store(DicomDataset dataset) {
        return delegate.store(dataset);
    }

    @Override
    public StoredInstance store(Path file) {
        return delegate.store(file);
    }

    @Override
    public StoredInstance store(InputStream in) {
        return delegate.store(in);
    }

    @Override
    public DicomDataset retrieve(SopInstanceUid uid) {
        return delegate.retrieve(uid);
    }

    @Override
    public InputStream open(SopInstanceUid uid) {
        return delegate.open(uid);
    }

    @Override
    public Optional<StoredInstance> describe(SopInstanceUid uid) {
        return delegate.describe(uid);
    }

    @Override
    public void remove(SopInstanceUid uid) {
        delegate.remove(uid);
    }

    @Override
    public boolean exists(SopInstanceUid uid) {
        return delegate.exists(uid);
    }

    @Override
    public List<DicomDataset> find(DicomDataset query) {
        return delegate.find(query);
    }

    @Override
    public List<StoredInstance> list() {
        return delegate.list();
    }

    @Override
    public StorageStatistics statistics() {
        return delegate.statistics();
    }

    @Override
    public IntegrityReport verifyIntegrity() {
        return delegate.verifyIntegrity();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
