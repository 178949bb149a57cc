package org.pacs.storage;

import java.util.Arrays;

/**
 * Where an instance's Pixel Data lies in its stored bytes, recorded at ingest from what the bytes actually contain
 * (not from the Basic Offset Table alone), so a frame is one ranged read.
 *
 * @param valueOffset     byte offset in the stored instance of the Pixel Data value (native), or of the Basic
 *                        Offset Table item's tag (encapsulated)
 * @param valueLength     the native value's length; {@link #ENCAPSULATED} for encapsulated Pixel Data
 * @param offsetTable     the Basic Offset Table's entries (encapsulated; empty when the table is empty or native)
 * @param fragmentLengths the length of each fragment after the offset table, in order (encapsulated)
 */
public record PixelLayout(long valueOffset, long valueLength, long[] offsetTable, long[] fragmentLengths) {

    public static final long ENCAPSULATED = -1;
    /** Instances with more fragments than this keep no layout (their frames are cut from a full read). */
    public static final int MAX_FRAGMENTS = 65_536;

    public PixelLayout {
        if (valueOffset < 0 || valueLength < ENCAPSULATED) {
            throw new IllegalArgumentException("negative Pixel Data offset or length");
        }
        offsetTable = offsetTable == null ? new long[0] : offsetTable.clone();
        fragmentLengths = fragmentLengths == null ? new long[0] : fragmentLengths.clone();
        if (valueLength != ENCAPSULATED && (offsetTable.length > 0 || fragmentLengths.length > 0)) {
            throw new IllegalArgumentException("native Pixel Data has no fragments");
        }
        if (offsetTable.length > MAX_FRAGMENTS || fragmentLengths.length > MAX_FRAGMENTS) {
            throw new IllegalArgumentException("more than " + MAX_FRAGMENTS + " fragments");
        }
    }

    public static PixelLayout nativeValue(long valueOffset, long valueLength) {
        return new PixelLayout(valueOffset, valueLength, null, null);
    }

    public boolean encapsulated() {
        return valueLength == ENCAPSULATED;
    }

    /** Offset in the stored instance of fragment {@code i}'s value (0-based, after the offset table). */
    public long fragmentOffset(int i) {
        long at = valueOffset + 8 + 4L * offsetTable.length;
        for (int j = 0; j < i; j++) {
            at += 8 + fragmentLengths[j];
        }
        return at + 8;
    }

    @Override
    public long[] offsetTable() {
        return offsetTable.clone();
    }

    @Override
    public long[] fragmentLengths() {
        return fragmentLengths.clone();
    }

    /** Fragment count without copying the lengths. */
    public int fragments() {
        return fragmentLengths.length;
    }

    /** Length of fragment {@code i} without copying. */
    public long fragmentLength(int i) {
        return fragmentLengths[i];
    }

    /** Offset table entry {@code i} without copying. */
    public long offsetTableEntry(int i) {
        return offsetTable[i];
    }

    public int offsetTableSize() {
        return offsetTable.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PixelLayout p && valueOffset == p.valueOffset && valueLength == p.valueLength
                && Arrays.equals(offsetTable, p.offsetTable) && Arrays.equals(fragmentLengths, p.fragmentLengths);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(valueOffset) * 31 + Arrays.hashCode(fragmentLengths);
    }

    @Override
    public String toString() {
        return encapsulated() ? "PixelLayout[encapsulated at " + valueOffset + ", " + offsetTable.length
                + " offset(s), " + fragmentLengths.length + " fragment(s)]"
                : "PixelLayout[native at " + valueOffset + ", " + valueLength + " bytes]";
    }
}
