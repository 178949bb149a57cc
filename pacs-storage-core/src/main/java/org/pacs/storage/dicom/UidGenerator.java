package org.pacs.storage.dicom;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.UUID;

/** Fresh UIDs under the 2.25 root (PS3.5 §B.2): a UUID as a decimal integer, no registration needed. */
public final class UidGenerator {

    private UidGenerator() {
    }

    public static String newUid() {
        UUID u = UUID.randomUUID();
        ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        return "2.25." + new BigInteger(1, b.array());
    }
}
