package org.pacs.storage.index;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;

/**
 * The metadata every object-store backend attaches to an instance (S3 user metadata, Azure blob metadata) so
 * its index can be rebuilt from a listing alone: the UIDs, SHA-256, transfer syntax, when it was stored, and
 * how many leading bytes hold the header, so query attributes come from one ranged read that stops before
 * Pixel Data. Names are lower-case letters only because Azure wants C# identifiers and S3 lower-cases names;
 * values are ASCII (UIDs, hex, ISO instants), which both services carry unchanged.
 */
public final class InstanceMetadata {

    public static final String SOP = "pacssopinstanceuid";
    public static final String STUDY = "pacsstudyinstanceuid";
    public static final String SERIES = "pacsseriesinstanceuid";
    public static final String SOP_CLASS = "pacssopclassuid";
    public static final String TRANSFER_SYNTAX = "pacstransfersyntaxuid";
    public static final String SHA256 = "pacssha256";
    public static final String STORED_AT = "pacsstoredat";
    public static final String HEADER_LENGTH = "pacsheaderlength";
    /** The CRC32C taken at ingest (8 hex digits), when the instance has one. */
    public static final String CRC32C = "pacscrc32c";

    private InstanceMetadata() {
    }

    public static Map<String, String> encode(StoredInstance i, long headerLength) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(SOP, i.sopInstanceUid().value());
        m.put(STUDY, i.studyInstanceUid());
        m.put(SERIES, i.seriesInstanceUid());
        m.put(SOP_CLASS, i.sopClassUid());
        m.put(TRANSFER_SYNTAX, i.transferSyntaxUid());
        m.put(SHA256, i.sha256());
        m.put(STORED_AT, i.storedAt().toString());
        m.put(HEADER_LENGTH, Long.toString(headerLength));
        if (i.hasCrc32c()) {
            m.put(CRC32C, String.format(Locale.ROOT, "%08x", i.crc32c()));
        }
        // An empty value is legal DICOM (no SOP Class, say) but some S3 servers drop or refuse empty headers.
        m.values().removeIf(String::isEmpty);
        return m;
    }

    /**
     * The instance an object describes, or empty when its metadata is missing or not ours (written by another
     * tool, or damaged): such objects are reported as orphans, never guessed at. {@code fallbackStoredAt}
     * stands in when the stored-at entry is absent (the service's last-modified time), may be null.
     */
    public static Optional<StoredInstance> decode(Map<String, String> metadata, long size, Instant fallbackStoredAt) {
        if (metadata == null) {
            return Optional.empty();
        }
        Map<String, String> m = lowerKeys(metadata);
        try {
            String storedAt = m.get(STORED_AT);
            Instant at = storedAt != null ? Instant.parse(storedAt) : fallbackStoredAt;
            return Optional.of(new StoredInstance(SopInstanceUid.of(m.get(SOP)), m.get(STUDY), m.get(SERIES),
                    m.get(SOP_CLASS), m.get(TRANSFER_SYNTAX), size, m.get(SHA256), at, crc32c(m.get(CRC32C))));
        } catch (RuntimeException e) {
            // StorageException for a bad UID, IllegalArgument for a bad hash, DateTimeParse, NPE for a missing key.
            return Optional.empty();
        }
    }

    /** A recorded CRC32C; a missing or unreadable one is simply not known (the SHA-256 still identifies the bytes). */
    private static long crc32c(String hex) {
        if (hex == null || !hex.matches("[0-9a-fA-F]{8}")) {
            return StoredInstance.NO_CRC32C;
        }
        return Long.parseLong(hex, 16);
    }

    /** Bytes before Pixel Data as recorded at upload; empty when absent (then a reader must find out itself). */
    public static Optional<Long> headerLength(Map<String, String> metadata) {
        if (metadata == null) {
            return Optional.empty();
        }
        try {
            String v = lowerKeys(metadata).get(HEADER_LENGTH);
            return v == null ? Optional.empty() : Optional.of(Long.parseLong(v)).filter(n -> n > 0);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Services may hand names back in another case than they were sent in. */
    private static Map<String, String> lowerKeys(Map<String, String> metadata) {
        Map<String, String> m = new LinkedHashMap<>();
        metadata.forEach((k, v) -> m.put(k.toLowerCase(Locale.ROOT), v));
        return m;
    }
}
