package org.pacs.storage.file;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;

/**
 * Where an instance's file goes under the root. Every layout ends in {@code {SOPUID}.dcm}, so the UID of any
 * file can be read from its name when the index is rebuilt, and every path part is a validated UID or hex,
 * so no path can leave the root.
 */
public enum FileLayout {
    /** {@code {StudyUID}/{SeriesUID}/{SOPUID}.dcm}: browsable by study, the default. */
    HIERARCHICAL,
    /** {@code {SOPUID}.dcm}: one directory; fine for small stores. */
    FLAT,
    /**
     * {@code ab/cd/{SOPUID}.dcm} with ab/cd the first bytes of SHA-256 of the UID: spreads millions of files
     * evenly over 65,536 directories whatever the study sizes.
     */
    HASHED;

    public static final String EXTENSION = ".dcm";

    /** The relative path, '/'-separated. */
    public String relativePath(StoredInstance i) {
        String sop = i.sopInstanceUid().value();
        return switch (this) {
            case HIERARCHICAL -> i.studyInstanceUid() + "/" + i.seriesInstanceUid() + "/" + sop + EXTENSION;
            case FLAT -> sop + EXTENSION;
            case HASHED -> {
                String h = sha256Hex(sop);
                yield h.substring(0, 2) + "/" + h.substring(2, 4) + "/" + sop + EXTENSION;
            }
        };
    }

    /** Accepts "hierarchical", "FLAT", "hashed" in any case. */
    public static FileLayout parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw StorageException.invalidInput("Unknown file layout '" + value
                    + "'; use hierarchical, flat or hashed.");
        }
    }

    private static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
