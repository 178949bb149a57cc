package org.pacs.storage.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 of streams, through a fixed buffer. */
public final class Digests {

    private Digests() {
    }

    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /**
     * True for 64 lower-case hex digits, the form every SHA-256 here takes. A loop rather than String.matches,
     * which compiles its pattern on every call: this runs several times per stored instance.
     */
    public static boolean isSha256Hex(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Lower-case hex SHA-256 of the rest of {@code in}; does not close it. */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest md = newSha256();
        DigestInputStream d = new DigestInputStream(in, md);
        d.transferTo(OutputStream.nullOutputStream());
        return HexFormat.of().formatHex(md.digest());
    }
}
