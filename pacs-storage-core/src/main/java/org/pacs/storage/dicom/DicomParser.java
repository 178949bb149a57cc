package org.pacs.storage.dicom;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Parses data elements from a {@link DicomInput}: explicit or implicit VR, either byte order, sequences and items
 * of defined and undefined length, encapsulated fragments. Every malformed byte pattern ends in a
 * {@link DicomParseException} naming the offset and tag; nesting is bounded so a crafted file cannot exhaust the
 * stack.
 */
final class DicomParser {

    static final long UNDEFINED = 0xFFFFFFFFL;
    /** Real SR trees stay far below this; anything deeper is a crafted or corrupt file. */
    static final int MAX_DEPTH = 64;
    /** Header mode stops at the first top-level tag at or past this one: Float, Double Float and Pixel Data. */
    static final int BULK_PIXEL_START = 0x7FE00008;

    private final DicomInput in;
    private final boolean headerMode;
    private boolean explicit;
    private boolean stoppedAtPixelData;
    /** Implicit-VR elements read as US whose VR PS3.6 gives as "US or SS": settled once the data set is read. */
    private final Set<DicomElement> pixelDependent = Collections.newSetFromMap(new IdentityHashMap<>());

    DicomParser(DicomInput in, boolean explicit, boolean headerMode) {
        this.in = in;
        this.explicit = explicit;
        this.headerMode = headerMode;
    }

    boolean stoppedAtPixelData() {
        return stoppedAtPixelData;
    }

    /** Group 0002, read while the next tag is in that group. Explicit VR LE by the standard, implicit tolerated. */
    DicomDataset readMetaGroup() {
        DicomDataset meta = new DicomDataset();
        boolean saved = explicit;
        while (in.fill(6) >= 6 && in.peekU16(0) == 0x0002) {
            explicit = VR.fromCode(in.peek(4), in.peek(5)) != null;
            long start = in.position();
            int tag = in.tag(-1);
            meta.put(readElement(tag, start, 0, SpecificCharacterSet.DEFAULT));
        }
        explicit = saved;
        return meta;
    }

    /** The top-level data set: up to end of data, or in header mode up to Pixel Data. */
    DicomDataset readDataset() {
        DicomDataset ds = readTopLevel();
        if (!pixelDependent.isEmpty()) {
            settleSigned(ds, false);
        }
        return ds;
    }

    /**
     * US becomes SS for the "US or SS" pixel values read in Implicit VR when the nearest Pixel Representation
     * (this item's, else an enclosing one's) is not 0, as pydicom decides. Done after reading because an
     * attribute such as Zero Velocity Pixel Value (0018,9810) precedes Pixel Representation (0028,0103).
     */
    private void settleSigned(DicomDataset ds, boolean inherited) {
        OptionalInt representation = ds.getInt(Tag.PixelRepresentation);
        boolean signed = representation.isPresent() ? representation.getAsInt() != 0 : inherited;
        for (DicomElement e : List.copyOf(ds.elements())) {
            if (signed && pixelDependent.contains(e)) {
                ds.put(DicomElement.ofBytes(e.tag(), VR.SS, e.bytes()));
            }
            for (DicomDataset item : e.items()) {
                settleSigned(item, signed);
            }
        }
    }

    private DicomDataset readTopLevel() {
        DicomDataset ds = new DicomDataset();
        SpecificCharacterSet cs = SpecificCharacterSet.DEFAULT;
        int lastTag = -1;
        while (true) {
            boolean marked = markForStop();
            int avail = in.fill(4);
            if (avail == 0) {
                return ds;
            }
            if (avail < 4) {
                throw new DicomParseException("unexpected end of data: " + avail + " byte(s) where a tag should start",
                        in.position(), lastTag);
            }
            int peeked = (in.peekU16(0) << 16) | in.peekU16(2);
            if (headerMode && Integer.compareUnsigned(peeked, BULK_PIXEL_START) >= 0) {
                stopBefore(marked);
                return ds;
            }
            long start = in.position();
            int tag = in.tag(lastTag);
            if (Tag.group(tag) == 0xFFFE) {
                throw new DicomParseException("item or delimiter tag outside a sequence", start, tag);
            }
            DicomElement e = readElement(tag, start, 0, cs);
            if (tag == Tag.SpecificCharacterSet) {
                cs = SpecificCharacterSet.of(e.strings());
            }
            putFirst(ds, e);
            lastTag = tag;
        }
    }

    /** In exact mode the caller's stream must end up at the Pixel Data tag, so mark it before peeking the tag. */
    private boolean markForStop() {
        if (headerMode && in.exact() && in.bufferEmpty() && in.stream().markSupported()) {
            in.stream().mark(16);
            return true;
        }
        return false;
    }

    private void stopBefore(boolean marked) {
        stoppedAtPixelData = true;
        if (marked) {
            try {
                in.stream().reset();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            in.discardBuffer();
        }
    }

    /** Elements of one item, up to {@code end} (defined length) or the Item Delimitation Item (end == -1). */
    private DicomDataset readItem(long end, int depth, SpecificCharacterSet inherited, int seqTag) {
        DicomDataset ds = new DicomDataset();
        SpecificCharacterSet cs = inherited;
        while (true) {
            if (end >= 0 && (in.position() >= end || in.atEnd())) {
                // A defined-length item cut short at an element boundary at end of data is accepted, as DCMTK
                // does (DICOMDIRs edited without fixing lengths); a cut inside an element is still an error.
                if (in.position() > end) {
                    throw new DicomParseException("elements run " + (in.position() - end)
                            + " byte(s) past the end of their item", in.position(), seqTag);
                }
                return ds;
            }
            long start = in.position();
            int tag = in.tag(seqTag);
            if (tag == Tag.ItemDelimitationItem) {
                in.u32(tag);
                return ds;
            }
            if (Tag.group(tag) == 0xFFFE) {
                throw new DicomParseException("unexpected " + Tag.toString(tag) + " inside an item", start, seqTag);
            }
            DicomElement e = readElement(tag, start, depth, cs);
            if (tag == Tag.SpecificCharacterSet) {
                cs = SpecificCharacterSet.of(e.strings());
            }
            putFirst(ds, e);
        }
    }

    /** A tag found twice keeps its first value, as DCMTK does (palettes/winter.dcm has a second SOP Instance UID). */
    private static void putFirst(DicomDataset ds, DicomElement e) {
        if (!ds.contains(e.tag())) {
            ds.put(e);
        }
    }

    private DicomElement readElement(int tag, long start, int depth, SpecificCharacterSet cs) {
        VR vr;
        long len;
        if (explicit) {
            int b0 = in.u8(tag);
            int b1 = in.u8(tag);
            vr = VR.fromCode(b0, b1);
            if (vr == null) {
                throw new DicomParseException(String.format("invalid VR bytes 0x%02X 0x%02X", b0, b1), start, tag);
            }
            if (vr.hasLongLength()) {
                in.u16(tag);
                len = in.u32(tag);
            } else {
                len = in.u16(tag);
            }
        } else {
            len = in.u32(tag);
            vr = DicomDictionary.vrOf(tag);
        }
        if (len == UNDEFINED) {
            return readUndefined(tag, vr, start, depth, cs);
        }
        if (vr == VR.SQ) {
            return DicomElement.ofItems(tag, readItems(tag, len, depth, cs, start));
        }
        byte[] value = in.bytes(len, tag);
        DicomElement e = ValueCodec.decode(tag, vr, value, in.bigEndian(), cs);
        if (!explicit && vr == VR.US && DicomDictionary.dependsOnPixelRepresentation(tag)) {
            pixelDependent.add(e);
        }
        return e;
    }

    private DicomElement readUndefined(int tag, VR vr, long start, int depth, SpecificCharacterSet cs) {
        if (vr == VR.SQ) {
            return DicomElement.ofItems(tag, readItems(tag, UNDEFINED, depth, cs, start));
        }
        if (vr == VR.UN && explicit || !explicit && tag != Tag.PixelData) {
            // CP-246: an undefined-length UN (or unknown implicit element) is a sequence in Implicit VR LE.
            boolean savedExplicit = explicit;
            boolean savedOrder = in.bigEndian();
            explicit = false;
            in.bigEndian(false);
            try {
                return DicomElement.ofItems(tag, readItems(tag, UNDEFINED, depth, cs, start));
            } finally {
                explicit = savedExplicit;
                in.bigEndian(savedOrder);
            }
        }
        if (vr == VR.OB || vr == VR.OW || vr == VR.UN || tag == Tag.PixelData) {
            // Encapsulated Pixel Data is OB whatever the file claims (PS3.5 A.4); DCMTK reads it the same way.
            return DicomElement.ofFragments(tag, VR.OB, readFragments(tag));
        }
        throw new DicomParseException("undefined length is not allowed for VR " + vr, start, tag);
    }

    private List<DicomDataset> readItems(int tag, long len, int depth, SpecificCharacterSet cs, long start) {
        if (depth >= MAX_DEPTH) {
            throw new DicomParseException("sequences nested deeper than " + MAX_DEPTH + " levels", start, tag);
        }
        long end = len == UNDEFINED ? -1 : in.position() + len;
        List<DicomDataset> items = new ArrayList<>();
        while (true) {
            if (end >= 0 && (in.position() >= end || in.atEnd())) {
                // An item overrunning its sequence's length, or a defined length cut at end of data between two
                // items, is tolerated as DCMTK does: DICOMDIRs edited without fixing lengths read that way.
                return items;
            }
            long itemStart = in.position();
            int itemTag = in.tag(tag);
            long itemLen = in.u32(tag);
            if (itemTag == Tag.SequenceDelimitationItem) {
                if (end >= 0) {
                    throw new DicomParseException("sequence delimiter inside a defined-length sequence", itemStart,
                            tag);
                }
                return items;
            }
            if (itemTag != Tag.Item) {
                throw new DicomParseException("expected an item tag (FFFE,E000) but found " + Tag.toString(itemTag),
                        itemStart, tag);
            }
            long itemEnd = itemLen == UNDEFINED ? -1 : in.position() + itemLen;
            items.add(readItem(itemEnd, depth + 1, cs, tag));
        }
    }

    private List<byte[]> readFragments(int tag) {
        List<byte[]> fragments = new ArrayList<>();
        while (true) {
            long itemStart = in.position();
            int itemTag = in.tag(tag);
            long itemLen = in.u32(tag);
            if (itemTag == Tag.SequenceDelimitationItem) {
                return fragments;
            }
            if (itemTag != Tag.Item) {
                throw new DicomParseException("expected a fragment item tag (FFFE,E000) but found "
                        + Tag.toString(itemTag), itemStart, tag);
            }
            if (itemLen == UNDEFINED) {
                throw new DicomParseException("fragment with undefined length", itemStart, tag);
            }
            fragments.add(in.bytes(itemLen, tag));
        }
    }
}
