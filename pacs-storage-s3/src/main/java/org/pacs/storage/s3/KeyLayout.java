package org.pacs.storage.s3;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;

/**
 * Where an instance lives in the bucket.
 * <ul>
 * <li>HIERARCHICAL (spec §3.1.2): {@code {prefix}{Study}/{Series}/{SOP}.dcm}, so a study or series is one
 *     prefix listing.</li>
 * <li>HASHED: {@code {prefix}{h0h1}/{h2h3}/{h}.dcm} with h = SHA-256 of the SOP Instance UID. UIDs can carry
 *     site and patient-derived information, and object names show up in access logs, inventories and
 *     billing; here they never do (the UIDs stay in metadata, which those don't show). The two leading
 *     levels spread keys evenly across S3 partitions.</li>
 * </ul>
 * The key prefix is normalised to end with '/' so instances never share a name with the prefix itself.
 */
public record KeyLayout(String prefix, Kind kind) {

    public enum Kind {
        HIERARCHICAL, HASHED;

        public static Kind parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw StorageException.invalidInput("Unknown S3 key layout '" + value
                        + "'; use 'hierarchical' (Study/Series/SOP.dcm) or 'hashed' (no UIDs in object names).");
            }
        }
    }

    public static final String SUFFIX = ".dcm";

    public KeyLayout {
        prefix = normalisePrefix(prefix);
        kind = kind == null ? Kind.HIERARCHICAL : kind;
    }

    static String normalisePrefix(String prefix) {
        if (prefix == null || prefix.isBlank()) {
            return "";
        }
        String p = prefix.trim();
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (p.isEmpty()) {
            return "";
        }
        for (String segment : p.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                throw StorageException.invalidInput("S3 key-prefix '" + prefix
                        + "' contains '.' or '..' segments; use plain names such as 'pacs/archive/'.");
            }
        }
        if (p.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
            throw StorageException.invalidInput("S3 key-prefix '" + prefix.replaceAll("\\p{Cntrl}", "?")
                    + "' contains control characters or backslashes; use letters, digits, '-', '_' and '/'.");
        }
        return p.endsWith("/") ? p : p + "/";
    }

    /** The object key of one instance. */
    public String keyFor(String studyUid, String seriesUid, SopInstanceUid sop) {
        if (kind == Kind.HASHED) {
            String h = sha256Hex(sop.value());
            return prefix + h.substring(0, 2) + "/" + h.substring(2, 4) + "/" + h + SUFFIX;
        }
        return prefix + studyUid + "/" + seriesUid + "/" + sop.value() + SUFFIX;
    }

    /**
     * True for keys this layout could have produced, so a rebuild skips foreign objects (they are reported as
     * orphans instead) and never mistakes an unrelated file in a shared bucket for an instance.
     */
    public boolean isInstanceKey(String key) {
        if (!key.startsWith(prefix) || !key.endsWith(SUFFIX)) {
            return false;
        }
        String[] parts = key.substring(prefix.length(), key.length() - SUFFIX.length()).split("/", -1);
        if (parts.length != 3) {
            return false;
        }
        if (kind == Kind.HASHED) {
            return parts[2].matches("[0-9a-f]{64}") && parts[0].equals(parts[2].substring(0, 2))
                    && parts[1].equals(parts[2].substring(2, 4));
        }
        return SopInstanceUid.isValid(parts[0]) && SopInstanceUid.isValid(parts[1])
                && SopInstanceUid.isValid(parts[2]);
    }

    /** The listing prefix of a study, for hierarchical keys; empty for hashed keys, which have none. */
    public java.util.Optional<String> studyPrefix(String studyUid) {
        return kind == Kind.HASHED ? java.util.Optional.empty() : java.util.Optional.of(prefix + studyUid + "/");
    }

    static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
