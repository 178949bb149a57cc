package org.pacs.storage;

import java.io.InputStream;

/**
 * A group of stores and removals whose durability is settled together at {@link #commit()}: a backend that
 * pays a flush per write (fsync of the file, its directory and its index) pays the directory and index part
 * once per batch instead. Each store and removal is visible as soon as its call returns; only the guarantee
 * that it survives a power cut waits for {@code commit()}. A process crash before the commit leaves each
 * instance either fully stored or absent, never half-written. {@link #close()} commits what is left.
 * <p>One thread uses a batch; several batches may run on one backend at once.
 */
public interface WriteBatch extends AutoCloseable {

    /** Stores a Part 10 stream byte for byte, like {@link StorageBackend#store(InputStream)}. */
    StoredInstance store(InputStream in);

    /** Removes an instance, like {@link StorageBackend#remove(SopInstanceUid)}. */
    void remove(SopInstanceUid uid);

    /** Makes everything done through this batch so far durable. May be called more than once. */
    void commit();

    @Override
    default void close() {
        commit();
    }

    /** The batch of a backend whose every write is durable when it returns (object stores): nothing to defer. */
    static WriteBatch immediate(StorageBackend backend) {
        return new WriteBatch() {
            @Override
            public StoredInstance store(InputStream in) {
                return backend.store(in);
            }

            @Override
            public void remove(SopInstanceUid uid) {
                backend.remove(uid);
            }

            @Override
            public void commit() {
                // every call above was durable already
            }
        };
    }
}
