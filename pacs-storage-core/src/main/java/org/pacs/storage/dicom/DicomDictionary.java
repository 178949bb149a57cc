package org.pacs.storage.dicom;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The whole PS3.6 data dictionary: keyword, VR, VM and retirement of every standard attribute, the repeating
 * groups ((50xx,eeee) curves, (60xx,eeee) overlays, (7Fxx,0010)) included. Generated from pydicom's copy of
 * PS3.6 by {@code src/build/gen_dictionary.py} (DEVELOPERS.md says how to regenerate).
 * <p>Where PS3.6 allows several VRs, {@link Entry#vr()} is the one Implicit VR reading uses when nothing else
 * decides: OW wherever OW is allowed (PS3.5 A.1: Pixel, Overlay, Waveform and LUT Data are OW in Implicit VR),
 * else the first listed (US of "US or SS"). The parser turns US into SS for those pixel-value attributes when
 * Pixel Representation (0028,0103) is 1 in the item or an enclosing one, as pydicom does.
 */
public final class DicomDictionary {

    /**
     * One attribute.
     *
     * @param vr  the VR Implicit VR reading assigns by default; one of {@code vrs}
     * @param vrs every VR PS3.6 allows, in its order (one for all but a few dozen attributes)
     * @param vm  PS3.6's value multiplicity, e.g. "1", "1-n", "2-2n"
     */
    public record Entry(int tag, String keyword, VR vr, List<VR> vrs, String vm, boolean retired) {

        public Entry {
            Objects.requireNonNull(keyword, "keyword");
            Objects.requireNonNull(vr, "vr");
            Objects.requireNonNull(vm, "vm");
            vrs = List.copyOf(vrs);
            if (!vrs.contains(vr)) {
                throw new IllegalArgumentException(Tag.toString(tag) + ": VR " + vr + " is not one of " + vrs);
            }
        }

        /** An attribute with one VR and VM 1, as code that builds its own entries has always made them. */
        public Entry(int tag, String keyword, VR vr) {
            this(tag, keyword, vr, List.of(vr), "1", false);
        }

        /** True when PS3.6 allows more than one VR ("US or SS", "OB or OW", ...). */
        public boolean ambiguous() {
            return vrs.size() > 1;
        }

        Entry withTag(int actual) {
            return actual == tag ? this : new Entry(actual, keyword, vr, vrs, vm, retired);
        }
    }

    private static final DictionaryData.Table TABLE = DictionaryData.load();

    private DicomDictionary() {
    }

    /** Every keyword this dictionary knows (the repeating groups' by their first group, e.g. 6000). */
    public static Set<String> keywords() {
        return Collections.unmodifiableSet(TABLE.byKeyword().keySet());
    }

    /** The entry of a tag; a repeating-group tag such as (6002,0010) gets its mask's entry with its own tag. */
    public static Optional<Entry> byTag(int tag) {
        return Optional.ofNullable(entry(tag));
    }

    public static Optional<Entry> byKeyword(String keyword) {
        return Optional.ofNullable(TABLE.byKeyword().get(keyword));
    }

    /** The dictionary VR; group lengths are UL, private creators LO, other private and unknown tags UN. */
    public static VR vrOf(int tag) {
        Entry e = entry(tag);
        if (e != null) {
            return e.vr();
        }
        if (Tag.element(tag) == 0) {
            return VR.UL;
        }
        // Private creator elements (gggg,0010-00FF) of odd groups are LO by definition (PS3.5 §7.8.1).
        boolean privateCreator = (Tag.group(tag) & 1) == 1 && Tag.element(tag) >= 0x10 && Tag.element(tag) <= 0xFF;
        return privateCreator ? VR.LO : VR.UN;
    }

    /** The keyword, or "(gggg,eeee)" for a tag without one (private, unknown, or one of PS3.6's few unnamed). */
    public static String keywordOf(int tag) {
        Entry e = entry(tag);
        return e != null && !e.keyword().isEmpty() ? e.keyword() : Tag.toString(tag);
    }

    /** Null when unknown; the lookup the parser makes for every implicit-VR element, without an Optional. */
    static Entry entry(int tag) {
        Entry e = TABLE.byTag().get(tag);
        if (e != null) {
            return e;
        }
        return TABLE.repeating(tag);
    }

    /** Number of exact (non-repeating) entries, for tests and diagnostics. */
    static int exactSize() {
        return TABLE.byTag().size();
    }

    /** Number of repeating-group masks. */
    static int repeaterCount() {
        return TABLE.repeaters().size();
    }

    /** The Implicit VR default among a list of allowed VRs: OW when allowed, else the first. */
    static VR implicitDefault(List<VR> vrs) {
        return vrs.size() > 1 && vrs.contains(VR.OW) ? VR.OW : vrs.get(0);
    }

    /**
     * The VR an implicit-VR element gets: the dictionary's, with a "US or SS" pixel value read as SS when the
     * pixels are signed (Pixel Representation 1), the rule PS3.3 gives for those attributes.
     */
    static VR implicitVr(int tag, boolean signedPixels) {
        Entry e = entry(tag);
        if (e == null) {
            return vrOf(tag);
        }
        return signedPixels && e.vr() == VR.US && e.vrs().contains(VR.SS) ? VR.SS : e.vr();
    }

    /** True when the implicit VR of this tag depends on Pixel Representation. */
    static boolean dependsOnPixelRepresentation(int tag) {
        Entry e = entry(tag);
        return e != null && e.vr() == VR.US && e.vrs().contains(VR.SS);
    }
}
