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

    /** Lower-case hex SHA-256 of the rest of {@code in}; does not close it. */
    public static String sha256(InputStream in) throws IOException {
        MessageDigest md = newSha256();
        DigestInputStream d = new DigestInputStream(in, md);
        d.transferTo(OutputStream.nullOutputStream());
        return HexFormat.of().formatHex(md.digest());
    }
}
