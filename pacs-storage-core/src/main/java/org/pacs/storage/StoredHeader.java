package org.pacs.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the catalog keeps of an instance at ingest, so that metadata and frames need no full read of its tier:
 * the stored bytes up to its Pixel Data, and where the pixel data frames lie in the stored bytes.
 *
 * @param part10 the instance's stored bytes from its first byte through the element header of the element that
 *               ended its header (Pixel Data, 12 bytes at most past {@code headerLength}), unchanged: parsing them
 *               gives exactly what a header read of the stored instance gives
 * @param pixels where the Pixel Data value and its fragments lie in the stored bytes; null when not recorded (no
 *               Pixel Data, or a syntax whose frames are not cut: big endian, deflated)
 */
public record StoredHeader(byte[] part10, PixelLayout pixels) {

    /** Headers longer than this are not kept: the tier is read for them (few real headers come near it). */
    public static final int MAX_HEADER_BYTES = 256 * 1024;

    public StoredHeader {
        Objects.requireNonNull(part10, "part10");
        if (part10.length > MAX_HEADER_BYTES + 12) {
            throw new IllegalArgumentException("a stored header holds at most " + MAX_HEADER_BYTES + " bytes");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredHeader h && Arrays.equals(part10, h.part10) && Objects.equals(pixels, h.pixels);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(part10) * 31 + Objects.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "StoredHeader[" + part10.length + " bytes, pixels=" + pixels + "]";
    }
}
