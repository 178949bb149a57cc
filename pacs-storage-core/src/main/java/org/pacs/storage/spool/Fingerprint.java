package org.pacs.storage.spool;

import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.pacs.storage.blob.Digests;

/**
 * The two checksums taken of an instance's bytes as they pass once: the SHA-256 that identifies them, and the
 * CRC32C that later copies between tiers check ({@link org.pacs.storage.StoredInstance#crc32c()}). One per stream.
 */
public final class Fingerprint {

    private final MessageDigest sha = Digests.newSha256();
    private final CRC32C crc = new CRC32C();

    /** {@code out}, with every byte written to it also counted into both checksums. */
    public OutputStream wrap(OutputStream out) {
        return new CheckedOutputStream(new DigestOutputStream(out, sha), crc);
    }

    /** {@code in}, with every byte read from it also counted into both checksums. */
    public InputStream wrap(InputStream in) {
        return new CheckedInputStream(new DigestInputStream(in, sha), crc);
    }

    /** Lower-case hex SHA-256 of what passed; call once, after the stream is done. */
    public String sha256() {
        return HexFormat.of().formatHex(sha.digest());
    }

    public long crc32c() {
        return crc.getValue();
    }
}
