package org.pacs.storage;

import java.time.Instant;
import org.pacs.storage.blob.Digests;
import java.util.Objects;

/**
 * What a backend knows about one stored instance without reading its bytes: the three UIDs that place it,
 * its size and the SHA-256 of the exact bytes stored. {@code crc32c}, when recorded ({@link #NO_CRC32C} when not:
 * rows catalogued before it was, instances described by a blob's metadata), is a CRC32C of the same bytes, taken at
 * ingest beside the SHA-256 for a fraction of its cost: a copy between tiers checks it instead of hashing again.
 */
public record StoredInstance(
        SopInstanceUid sopInstanceUid,
        String studyInstanceUid,
        String seriesInstanceUid,
        String sopClassUid,
        String transferSyntaxUid,
        long sizeBytes,
        String sha256,
        Instant storedAt,
        long crc32c) {

    /** {@link #crc32c()} of an instance whose CRC32C was not recorded. */
    public static final long NO_CRC32C = -1;

    /** An instance without a recorded CRC32C. */
    public StoredInstance(SopInstanceUid sopInstanceUid, String studyInstanceUid, String seriesInstanceUid,
                          String sopClassUid, String transferSyntaxUid, long sizeBytes, String sha256,
                          Instant storedAt) {
        this(sopInstanceUid, studyInstanceUid, seriesInstanceUid, sopClassUid, transferSyntaxUid, sizeBytes, sha256,
                storedAt, NO_CRC32C);
    }

    public StoredInstance {
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        studyInstanceUid = SopInstanceUid.requireValidUid(studyInstanceUid, "Study Instance UID");
        seriesInstanceUid = SopInstanceUid.requireValidUid(seriesInstanceUid, "Series Instance UID");
        sopClassUid = sopClassUid == null ? "" : sopClassUid;
        transferSyntaxUid = transferSyntaxUid == null ? "" : transferSyntaxUid;
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes < 0");
        }
        if (sha256 == null || !Digests.isSha256Hex(sha256)) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits: " + sha256);
        }
        Objects.requireNonNull(storedAt, "storedAt");
        if (crc32c != NO_CRC32C && (crc32c < 0 || crc32c > 0xFFFF_FFFFL)) {
            throw new IllegalArgumentException("crc32c must be an unsigned 32-bit value or NO_CRC32C: " + crc32c);
        }
    }

    public boolean hasCrc32c() {
        return crc32c != NO_CRC32C;
    }

    /** The same instance with {@code storedAt} (the catalog's clock dates what the spooler described). */
    public StoredInstance withStoredAt(Instant storedAt) {
        return new StoredInstance(sopInstanceUid, studyInstanceUid, seriesInstanceUid, sopClassUid, transferSyntaxUid,
                sizeBytes, sha256, storedAt, crc32c);
    }
}
