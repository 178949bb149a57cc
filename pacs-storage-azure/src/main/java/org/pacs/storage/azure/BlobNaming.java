package org.pacs.storage.azure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pacs.storage.SopInstanceUid;

/**
 * Spec §4.1.2 blob names: {@code {prefix}{Study}/{Series}/{SOP}.dcm}. The opt-in hashed layout puts
 * {@code {hhhh}/} (the first four hex digits of SHA-256 of the Study UID) after the prefix: Azure partitions
 * a container by name range, and UIDs from one vendor share long prefixes, so without the hash a busy
 * modality's writes pile onto one partition. Hashing the study (not the instance) keeps a study contiguous,
 * so study and series operations stay one prefix listing.
 */
final class BlobNaming {

    private static final String UID = "[0-9]+(?:\\.[0-9]+)*";
    private static final Pattern PLAIN = Pattern.compile("(" + UID + ")/(" + UID + ")/(" + UID + ")\\.dcm");
    private static final Pattern HASHED = Pattern.compile("([0-9a-f]{4})/" + PLAIN.pattern());

    private final String prefix;
    private final boolean hashed;

    BlobNaming(String prefix, boolean hashed) {
        this.prefix = prefix;
        this.hashed = hashed;
    }

    String prefix() {
        return prefix;
    }

    String blobName(String studyUid, String seriesUid, SopInstanceUid sop) {
        return studyPrefix(studyUid) + seriesUid + "/" + sop.value() + ".dcm";
    }

    String studyPrefix(String studyUid) {
        return prefix + (hashed ? hash(studyUid) + "/" : "") + studyUid + "/";
    }

    String seriesPrefix(String studyUid, String seriesUid) {
        return studyPrefix(studyUid) + seriesUid + "/";
    }

    /** The UIDs a name of this layout encodes; empty for anything else found in the container. */
    Optional<Parsed> parse(String blobName) {
        if (!blobName.startsWith(prefix)) {
            return Optional.empty();
        }
        String rest = blobName.substring(prefix.length());
        Matcher m = (hashed ? HASHED : PLAIN).matcher(rest);
        if (!m.matches()) {
            return Optional.empty();
        }
        int g = hashed ? 2 : 1;
        if (hashed && !m.group(1).equals(hash(m.group(g)))) {
            return Optional.empty();
        }
        String study = m.group(g);
        String series = m.group(g + 1);
        String sop = m.group(g + 2);
        if (!SopInstanceUid.isValid(study) || !SopInstanceUid.isValid(series) || !SopInstanceUid.isValid(sop)) {
            return Optional.empty();
        }
        return Optional.of(new Parsed(study, series, SopInstanceUid.of(sop)));
    }

    static String hash(String studyUid) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(studyUid.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(d, 0, 2);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java 17 runtime has SHA-256", e);
        }
    }

    record Parsed(String studyUid, String seriesUid, SopInstanceUid sopInstanceUid) {
    }
}
