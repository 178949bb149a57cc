package org.pacs.storage.hsm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32C;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.blob.LocalBlob;
import org.pacs.storage.blob.SupportsArchiveClasses;
import org.pacs.storage.blob.SupportsBatchedDurability;
import org.pacs.storage.blob.SupportsBatchedDurability.BlobBatch;
import org.pacs.storage.index.InstanceMetadata;
import org.pacs.storage.spool.InstanceSpooler;
import org.pacs.storage.spool.SpooledInstance;

/**
 * One tier's blob store seen by instance: the key each instance has under the store's layout, spooling into the
 * store's spool directory (so a file tier renames rather than copies), and the metadata every blob carries so the
 * catalog can be rebuilt from a listing (UIDs, SHA-256, size, transfer syntax, header length).
 */
final class TierStore {

    private final StorageTier tier;
    private final BlobStore store;
    private final InstanceSpooler spooler;

    TierStore(StorageTier tier, BlobStore store, java.time.Clock clock) {
        this.tier = tier;
        this.store = store;
        this.spooler = new InstanceSpooler(store.spoolDir(), clock, store.forcesSpools());
    }

    StorageTier tier() {
        return tier;
    }

    BlobStore blobs() {
        return store;
    }

    InstanceSpooler spooler() {
        return spooler;
    }

    String key(StoredInstance i) {
        return store.keyFor(i);
    }

    /**
     * Spools the caller's file for this store: a file store copies it into its own spool as it hashes it (one read;
     * the file renamed into place holds exactly the hashed bytes), any other store hashes it in place and uploads
     * from it.
     */
    SpooledInstance spool(Path file) {
        return store instanceof org.pacs.storage.file.FileBlobStore ? spooler.spoolCopy(file) : spooler.spool(file);
    }

    /** Puts a spooled instance under its key (through {@code batch} when given), durable unless batched. */
    void put(SpooledInstance s, BlobBatch batch) {
        put(s, s.instance(), batch);
    }

    /** As above, with the metadata of {@code i}: the instance as the catalog records it (its store time). */
    void put(SpooledInstance s, StoredInstance i, BlobBatch batch) {
        LocalBlob blob = new LocalBlob(s.path(), i.sizeBytes(), i.sha256(), InstanceMetadata.encode(i,
                s.headerLength()), s.isTemporary(), s.forced());
        if (batch != null) {
            batch.put(key(i), blob);
        } else {
            store.put(key(i), blob);
        }
        if (store.takesOver(blob)) {
            s.claim(); // renamed into place: closing the spooled instance has no file left to delete
        }
    }

    /**
     * Copies a stream from another tier into this one: spooled here (hashed and checked to be DICOM on the way),
     * then put. Returns what was written, whose SHA-256 the caller compares with the catalog's.
     */
    StoredInstance copyIn(InputStream in, StoredInstance catalogued, BlobBatch batch) {
        if (store instanceof org.pacs.storage.file.FileBlobStore) {
            return copyInHashed(in, catalogued, batch);
        }
        try (SpooledInstance s = spooler.spool(in)) {
            put(s, catalogued, batch); // metadata as catalogued (store time kept); a mismatch is rolled back
            return s.instance();
        }
    }

    private static final AtomicLong COPIES = new AtomicLong();
    private static final String PROCESS = Long.toHexString(ProcessHandle.current().pid()) + "-"
            + Long.toHexString(new java.security.SecureRandom().nextInt() & 0xffffffffL);

    /**
     * A migration's copy into a file store: the bytes checked on their way into the store's spool (owner-only
     * from the first byte), then renamed into place, without the spooler's DICOM parse: the checksum the caller
     * compares with the catalog's proves them the catalogued instance, which was parsed when it was stored. With a
     * CRC32C recorded at ingest only that is computed (a thirtieth of a SHA-256's CPU; on two cores the hash was
     * most of what a migration cost beyond a plain copy) and the SHA-256 is reported as catalogued; a row without
     * one is hashed with SHA-256 as before. A file store keeps no metadata, so none is built. The spool file never
     * outlives a failure.
     */
    private StoredInstance copyInHashed(InputStream in, StoredInstance catalogued, BlobBatch batch) {
        Path tmp = store.spoolDir().resolve("migrate-" + PROCESS + "-" + COPIES.incrementAndGet() + ".tmp");
        try {
            MessageDigest md = catalogued.hasCrc32c() ? null : MessageDigest.getInstance("SHA-256");
            CRC32C crc = new CRC32C();
            long size = 0;
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")))) {
                byte[] buf = new byte[InstanceSpooler.BUFFER_SIZE];
                ByteBuffer bb = ByteBuffer.wrap(buf);
                for (int n; (n = in.read(buf)) > 0; ) {
                    if (md != null) {
                        md.update(buf, 0, n);
                    }
                    crc.update(buf, 0, n);
                    bb.clear().limit(n);
                    while (bb.hasRemaining()) {
                        ch.write(bb);
                    }
                    size += n;
                }
            }
            String sha = md == null ? catalogued.sha256() : HexFormat.of().formatHex(md.digest());
            LocalBlob blob = new LocalBlob(tmp, size, sha, Map.of(), true);
            if (batch != null) {
                batch.put(key(catalogued), blob);
            } else {
                store.put(key(catalogued), blob);
            }
            return new StoredInstance(catalogued.sopInstanceUid(), catalogued.studyInstanceUid(),
                    catalogued.seriesInstanceUid(), catalogued.sopClassUid(), catalogued.transferSyntaxUid(), size,
                    sha, catalogued.storedAt(), crc.getValue());
        } catch (IOException e) {
            throw StorageException.unavailable("Could not copy into " + store.describe() + " (" + e.getMessage()
                    + "); check free space and permissions there.", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        } finally {
            try {
                Files.deleteIfExists(tmp); // renamed into place on success: then nothing to delete
            } catch (IOException ignored) {
                // a leftover spool file is cleaned at the next open of the store
            }
        }
    }

    /**
     * Whether a copy holds the catalogued bytes: the same size and SHA-256 and, where both sides know one, the same
     * CRC32C (a copy that computed only the CRC32C reports the SHA-256 as catalogued).
     */
    static boolean sameBytes(StoredInstance catalogued, StoredInstance copy) {
        return copy.sizeBytes() == catalogued.sizeBytes() && copy.sha256().equals(catalogued.sha256())
                && (!catalogued.hasCrc32c() || !copy.hasCrc32c() || copy.crc32c() == catalogued.crc32c());
    }

    InputStream open(StoredInstance i) {
        return store.open(key(i));
    }

    /** Deletes the instance's blob; one that is gone already is fine. */
    void delete(StoredInstance i, BlobBatch batch) {
        if (batch != null) {
            batch.delete(key(i));
        } else {
            store.delete(key(i));
        }
    }

    /**
     * The store's confirmation that a copy {@link #copyIn} just wrote holds {@code i}'s bytes. A file store spools
     * into its own spool directory, on its own file system, hashing the bytes as they are written, and renames that
     * very file into place: the spool's SHA-256 (which the caller compared with the catalog's) is the store's own
     * figure, and re-reading the file at once would only hash the page cache again. Any other store is asked
     * ({@link #verify}).
     */
    boolean confirmsCopy(StoredInstance i) {
        return store instanceof org.pacs.storage.file.FileBlobStore || verify(i);
    }

    /** The store's own confirmation that it holds these exact bytes (see {@link BlobStore#verify}). */
    boolean verify(StoredInstance i) {
        return store.verify(key(i), i.sha256(), i.sizeBytes());
    }

    boolean holds(StoredInstance i) {
        return store.head(key(i)).isPresent();
    }

    BlobBatch batch() {
        return SupportsBatchedDurability.batchOf(store);
    }

    Optional<SupportsArchiveClasses> archive() {
        return store instanceof SupportsArchiveClasses a ? Optional.of(a) : Optional.empty();
    }

    SupportsArchiveClasses requireArchive(SopInstanceUid uid) {
        return archive().orElseThrow(() -> new StorageException(StorageException.Reason.UNSUPPORTED, "The "
                + tier.name().toLowerCase() + " tier (" + store.describe() + ") has no storage classes, so " + uid
                + " cannot change class in place."));
    }
}
