package org.pacs.storage.dicom;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Keyword and VR of the attributes this project knows by name. Unknown tags read as UN in implicit VR. */
public final class DicomDictionary {

    public record Entry(int tag, String keyword, VR vr) {
    }

    private static final Map<Integer, Entry> BY_TAG = new HashMap<>();
    private static final Map<String, Entry> BY_KEYWORD = new HashMap<>();

    static {
        for (String line : DictionaryData.ENTRIES.split("\n")) {
            String[] f = line.trim().split(" ");
            if (f.length == 3) {
                add(Integer.parseUnsignedInt(f[0], 16), f[2], VR.valueOf(f[1]));
            }
        }
    }

    /** Every keyword this dictionary knows. */
    public static java.util.Set<String> keywords() {
        return java.util.Collections.unmodifiableSet(BY_KEYWORD.keySet());
    }

    private DicomDictionary() {
    }

    private static void add(int tag, String keyword, VR vr) {
        Entry e = new Entry(tag, keyword, vr);
        BY_TAG.put(tag, e);
        BY_KEYWORD.put(keyword, e);
    }

    public static Optional<Entry> byTag(int tag) {
        return Optional.ofNullable(BY_TAG.get(tag));
    }

    public static Optional<Entry> byKeyword(String keyword) {
        return Optional.ofNullable(BY_KEYWORD.get(keyword));
    }

    /** The dictionary VR; group lengths are UL, private creators LO, other private and unknown tags UN. */
    public static VR vrOf(int tag) {
        Entry e = BY_TAG.get(tag);
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

    public static String keywordOf(int tag) {
        Entry e = BY_TAG.get(tag);
        return e != null ? e.keyword() : Tag.toString(tag);
    }
}
