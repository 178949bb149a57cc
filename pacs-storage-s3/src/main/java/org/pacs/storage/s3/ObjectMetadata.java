package org.pacs.storage.s3;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;

/**
 * The user metadata (x-amz-meta-*) each object carries so the index can be rebuilt from HEAD requests
 * alone: the three UIDs, the SHA-256, the transfer syntax, and where the header ends so a ranged GET of
 * exactly the header bytes yields the query attributes without touching pixel data. Keys are lower-case
 * because S3 lower-cases them anyway.
 */
final class ObjectMetadata {

    static final String STUDY = "pacs-study-uid";
    static final String SERIES = "pacs-series-uid";
    static final String SOP = "pacs-sop-uid";
    static final String SOP_CLASS = "pacs-sop-class-uid";
    static final String SHA256 = "pacs-sha256";
    static final String TRANSFER_SYNTAX = "pacs-transfer-syntax";
    static final String HEADER_LENGTH = "pacs-header-length";
    static final String STORED_AT = "pacs-stored-at";

    private ObjectMetadata() {
    }

    static Map<String, String> of(StoredInstance i, long headerLength) {
        Map<String, String> m = new HashMap<>();
        m.put(STUDY, i.studyInstanceUid());
        m.put(SERIES, i.seriesInstanceUid());
        m.put(SOP, i.sopInstanceUid().value());
        if (!i.sopClassUid().isEmpty()) {
            m.put(SOP_CLASS, i.sopClassUid());
        }
        m.put(SHA256, i.sha256());
        m.put(TRANSFER_SYNTAX, i.transferSyntaxUid());
        m.put(HEADER_LENGTH, Long.toString(headerLength));
        m.put(STORED_AT, i.storedAt().toString());
        return m;
    }

    /** The record the metadata describes; empty when any required field is absent or malformed. */
    static Optional<StoredInstance> parse(Map<String, String> m, long size, Instant lastModified) {
        try {
            String sop = m.get(SOP);
            String sha = m.get(SHA256);
            if (sop == null || sha == null) {
                return Optional.empty();
            }
            Instant storedAt = m.containsKey(STORED_AT) ? Instant.parse(m.get(STORED_AT)) : lastModified;
            return Optional.of(new StoredInstance(SopInstanceUid.of(sop), m.get(STUDY), m.get(SERIES),
                    m.get(SOP_CLASS), m.get(TRANSFER_SYNTAX), size, sha, storedAt));
        } catch (RuntimeException e) {
            // DateTimeParseException, invalid UIDs or checksum: not an object this backend wrote intact
            return Optional.empty();
        }
    }

    static long headerLength(Map<String, String> m) {
        try {
            return Long.parseLong(m.getOrDefault(HEADER_LENGTH, "-1"));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
