package org.pacs.storage;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.pacs.storage.dicom.VR;

/**
 * What the catalog keeps of an instance at ingest, so that metadata and frames need no full read of its tier:
 * the stored bytes up to its Pixel Data, and where the pixel data frames lie in the stored bytes.
 *
 * @param part10 the instance's stored bytes from its first byte through the element header of the element that
 *               ended its header (Pixel Data, 12 bytes at most past {@code headerLength}), unchanged but for the
 *               values of {@code elided}: parsing them gives what a header read of the stored instance gives, those
 *               elements empty
 * @param elided top-level binary elements whose values were left out (each one's length set to 0 in
 *               {@code part10}): values over {@link #ELIDE_OVER} bytes, which DICOM JSON gives as a BulkDataURI
 *               anyway, in the order they occur
 * @param pixels where the Pixel Data value and its fragments lie in the stored bytes; null when not recorded (no
 *               Pixel Data, or a syntax whose frames are not cut: big endian, deflated)
 */
public record StoredHeader(byte[] part10, List<Elided> elided, PixelLayout pixels) {

    /** Kept headers hold at most this many bytes (after elision): the tier is read for a larger one. */
    public static final int MAX_HEADER_BYTES = 256 * 1024;
    /** Top-level binary values longer than this are left out of a kept header. */
    public static final int ELIDE_OVER = 1024;

    /** A value left out: its element's tag, its VR as read, and the length it had. */
    public record Elided(int tag, VR vr, long length) {
        public Elided {
            Objects.requireNonNull(vr, "vr");
            if (length <= ELIDE_OVER || length > 0xFFFFFFFEL) {
                throw new IllegalArgumentException("an elided value is longer than " + ELIDE_OVER + " bytes");
            }
        }
    }

    public StoredHeader {
        Objects.requireNonNull(part10, "part10");
        if (part10.length > MAX_HEADER_BYTES + 12) {
            throw new IllegalArgumentException("a stored header holds at most " + MAX_HEADER_BYTES + " bytes");
        }
        elided = List.copyOf(elided);
    }

    /** A header kept whole. */
    public StoredHeader(byte[] part10, PixelLayout pixels) {
        this(part10, List.of(), pixels);
    }

    /** Bytes the elided values took in the stored instance: kept offsets past them are this much smaller. */
    public long elidedBytes() {
        return elided.stream().mapToLong(Elided::length).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredHeader h && Arrays.equals(part10, h.part10) && elided.equals(h.elided)
                && Objects.equals(pixels, h.pixels);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(part10) * 31 + Objects.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "StoredHeader[" + part10.length + " bytes, " + elided.size() + " elided, pixels=" + pixels + "]";
    }
}
