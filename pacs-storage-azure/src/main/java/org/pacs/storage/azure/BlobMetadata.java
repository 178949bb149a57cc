package org.pacs.storage.azure;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;

/**
 * What each blob carries in its metadata so {@code rebuildIndex()} can rebuild the index from a listing alone:
 * the UIDs, SHA-256, transfer syntax, when it was stored, and how many leading bytes hold the header (so the
 * query attributes come from one ranged read that stops before Pixel Data). Azure metadata names must be C#
 * identifiers and values ASCII, which UIDs, hex and ISO instants are.
 */
final class BlobMetadata {

    static final String SOP = "pacssopinstanceuid";
    static final String STUDY = "pacsstudyinstanceuid";
    static final String SERIES = "pacsseriesinstanceuid";
    static final String SOP_CLASS = "pacssopclassuid";
    static final String TRANSFER_SYNTAX = "pacstransfersyntaxuid";
    static final String SHA256 = "pacssha256";
    static final String STORED_AT = "pacsstoredat";
    static final String HEADER_LENGTH = "pacsheaderlength";

    private BlobMetadata() {
    }

    static Map<String, String> of(StoredInstance i, long headerLength) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(SOP, i.sopInstanceUid().value());
        m.put(STUDY, i.studyInstanceUid());
        m.put(SERIES, i.seriesInstanceUid());
        m.put(SOP_CLASS, i.sopClassUid());
        m.put(TRANSFER_SYNTAX, i.transferSyntaxUid());
        m.put(SHA256, i.sha256());
        m.put(STORED_AT, i.storedAt().toString());
        m.put(HEADER_LENGTH, Long.toString(headerLength));
        return m;
    }

    /**
     * The instance a listed blob describes, or empty when its metadata is missing or not ours (a blob
     * written by another tool): such blobs are reported as orphans, never guessed at.
     */
    static Optional<StoredInstance> parse(Map<String, String> metadata, long size) {
        if (metadata == null) {
            return Optional.empty();
        }
        Map<String, String> m = lowerKeys(metadata);
        try {
            return Optional.of(new StoredInstance(SopInstanceUid.of(m.get(SOP)), m.get(STUDY), m.get(SERIES),
                    m.get(SOP_CLASS), m.get(TRANSFER_SYNTAX), size, m.get(SHA256), Instant.parse(m.get(STORED_AT))));
        } catch (RuntimeException e) {
            // StorageException for a bad UID, IllegalArgument for a bad hash, DateTimeParse, NPE for a missing key.
            return Optional.empty();
        }
    }

    /** Bytes before Pixel Data as recorded at upload; empty when absent (then a reader must find out itself). */
    static Optional<Long> headerLength(Map<String, String> metadata) {
        if (metadata == null) {
            return Optional.empty();
        }
        try {
            String v = lowerKeys(metadata).get(HEADER_LENGTH);
            return v == null ? Optional.empty() : Optional.of(Long.parseLong(v)).filter(n -> n > 0);
        } catch (NumberFormatException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** The service may hand names back in another case than they were sent in. */
    private static Map<String, String> lowerKeys(Map<String, String> metadata) {
        Map<String, String> m = new LinkedHashMap<>();
        metadata.forEach((k, v) -> m.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return m;
    }
}
