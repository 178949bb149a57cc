package org.pacs.storage.blob;

/**
 * A store whose every write pays a flush (a file store: file, then directory) and that can settle the directory
 * part once for many writes: bulk moves (HSM migration) and group commit use it. A store without it is durable
 * on every call, which is right for object stores whose PUT is durable when it returns.
 */
public interface SupportsBatchedDurability extends BlobStore {

    /** A batch for one thread; several batches may run at once. */
    BlobBatch batch();

    /**
     * Commits batches of this store together (group commit of concurrent stores): what they share, such as a
     * directory, is made durable once. The default commits each.
     */
    default void commit(java.util.List<BlobBatch> batches) {
        batches.forEach(BlobBatch::commit);
    }

    /**
     * Puts and deletes whose durability is settled together at {@link #commit()}: each is visible when its call
     * returns; a crash before the commit leaves each blob whole or absent, never partial.
     */
    interface BlobBatch extends AutoCloseable {

        BlobInfo put(String key, LocalBlob blob);

        void delete(String key);

        /** Makes everything so far durable; may be called more than once. */
        void commit();

        @Override
        default void close() {
            commit();
        }
    }

    /** The batch of {@code store}: its own when it has one, else one whose every call is durable already. */
    static BlobBatch batchOf(BlobStore store) {
        if (store instanceof SupportsBatchedDurability b) {
            return b.batch();
        }
        return new BlobBatch() {
            @Override
            public BlobInfo put(String key, LocalBlob blob) {
                return store.put(key, blob);
            }

            @Override
            public void delete(String key) {
                store.delete(key);
            }

            @Override
            public void commit() {
                // every call above was durable already
            }
        };
    }
}
