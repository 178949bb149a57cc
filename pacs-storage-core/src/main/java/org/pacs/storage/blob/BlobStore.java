package org.pacs.storage.blob;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;

/**
 * Where a tier keeps bytes: named blobs and nothing else. A blob store keeps no index of instances, in memory or
 * on disk: the {@link org.pacs.storage.catalog.InstanceCatalog} is the only index, so opening a store costs the
 * same whatever it holds, and several processes and nodes can share one store. Optional abilities are separate
 * interfaces ({@link SupportsArchiveClasses}, {@link SupportsBatchedDurability}).
 * <p>Implementations are thread-safe and raise only {@link org.pacs.storage.StorageException}: NOT_FOUND for an
 * absent blob, ARCHIVED for one that must be restored first, UNAVAILABLE for a server or disk that failed.
 */
public interface BlobStore extends AutoCloseable {

    /** The key an instance is kept under in this store (its configured layout: hierarchical, flat, hashed). */
    String keyFor(StoredInstance instance);

    /**
     * A local directory for spooling incoming bytes before {@link #put}: on a file store it lies on the same file
     * system, so a movable blob is renamed into place rather than copied.
     */
    Path spoolDir();

    /**
     * True when a successful {@link #put} of {@code blob} moves its file into the store (a rename), so the caller
     * has nothing left to delete; false (the default) when the store copies or uploads it.
     */
    default boolean takesOver(LocalBlob blob) {
        return false;
    }

    /**
     * True when this store wants the spool files it takes over forced to disk as they are written (a file store
     * with fsync): the spooler then forces each on the channel that wrote it ({@link LocalBlob#forced()}), and the
     * store renames it without reopening it. False (the default) for a store that uploads the spool file.
     */
    default boolean forcesSpools() {
        return false;
    }

    /**
     * Stores {@code blob} under {@code key} atomically (readers see the old blob or the whole new one, never a
     * part) and durably before returning. A movable blob's file may be taken over (renamed); otherwise it is
     * only read. Replaces a blob already under the key.
     */
    BlobInfo put(String key, LocalBlob blob);

    /** The whole blob as a stream; the caller closes it. */
    InputStream open(String key);

    /** {@code length} bytes from {@code offset} (fewer at the end of the blob); one ranged read, not a download. */
    InputStream open(String key, long offset, long length);

    /** Size, time, class and metadata of a blob, without its bytes. */
    Optional<BlobInfo> head(String key);

    /** Deletes a blob; an absent one is not an error. Durable before returning. */
    void delete(String key);

    /**
     * Every instance blob (not the store's own bookkeeping), streamed page by page: the caller closes the stream,
     * and memory does not grow with the store. Listings may leave {@link BlobInfo#metadata()} empty; ask
     * {@link #head} for it.
     */
    Stream<BlobInfo> list();

    /**
     * True when the store itself confirms that the blob under {@code key} has this SHA-256 and size: a checksum
     * the target computed (an object store's own checksum, a file re-read from disk), never the one the sender
     * computed while sending. The default re-reads the blob and hashes it.
     */
    default boolean verify(String key, String sha256, long size) {
        return BlobChecks.rehash(this, key, sha256, size);
    }

    /**
     * True when every blob this store writes carries the instance metadata ({@link
     * org.pacs.storage.index.InstanceMetadata}): a blob without it is not ours, and rebuilding never downloads it.
     * A file store has no metadata; its blobs are read to be described.
     */
    default boolean carriesMetadata() {
        return false;
    }

    /** The SOP Instance UID a listed blob holds, from its name where the layout shows it, else its metadata. */
    default Optional<SopInstanceUid> uidOf(BlobInfo blob) {
        return BlobChecks.uidOf(this, blob);
    }

    /** Where the store is, for messages and the catalog's location column (e.g. "file:/data/hot"). */
    String describe();

    /** Releases clients and threads; idempotent. */
    @Override
    void close();
}
