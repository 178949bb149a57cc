package org.pacs.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * What a backend knows about one stored instance without reading its bytes: the three UIDs that place it,
 * its size and the SHA-256 of the exact bytes stored.
 */
public record StoredInstance(
        SopInstanceUid sopInstanceUid,
        String studyInstanceUid,
        String seriesInstanceUid,
        String sopClassUid,
        String transferSyntaxUid,
        long sizeBytes,
        String sha256,
        Instant storedAt) {

    public StoredInstance {
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        studyInstanceUid = SopInstanceUid.requireValidUid(studyInstanceUid, "Study Instance UID");
        seriesInstanceUid = SopInstanceUid.requireValidUid(seriesInstanceUid, "Series Instance UID");
        sopClassUid = sopClassUid == null ? "" : sopClassUid;
        transferSyntaxUid = transferSyntaxUid == null ? "" : transferSyntaxUid;
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes < 0");
        }
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits: " + sha256);
        }
        Objects.requireNonNull(storedAt, "storedAt");
    }
}
