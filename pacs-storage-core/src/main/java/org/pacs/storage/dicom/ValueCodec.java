package org.pacs.storage.dicom;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Turns value bytes into element values and back: string splitting and padding, byte order of binary VRs. */
final class ValueCodec {

    private ValueCodec() {
    }

    static DicomElement decode(int tag, VR vr, byte[] value, boolean bigEndian, SpecificCharacterSet cs) {
        if (vr.isString()) {
            return DicomElement.ofStrings(tag, vr, strings(vr, value, cs));
        }
        if (bigEndian) {
            swap(value, width(vr));
        }
        return DicomElement.ofBytes(tag, vr, value);
    }

    static List<String> strings(VR vr, byte[] value, SpecificCharacterSet cs) {
        if (value.length == 0) {
            return List.of();
        }
        String s = vr.isCharsetDependent() ? cs.decode(value, vr == VR.PN)
                : new String(value, StandardCharsets.ISO_8859_1);
        if (vr.isSingleValuedText()) {
            return List.of(trimTrailing(s));
        }
        List<String> out = new ArrayList<>(2);
        int from = 0;
        while (true) {
            int bs = s.indexOf('\\', from);
            String v = bs < 0 ? s.substring(from) : s.substring(from, bs);
            out.add(leadingSignificant(vr) ? trimTrailing(v) : trimBoth(v));
            if (bs < 0) {
                return out;
            }
            from = bs + 1;
        }
    }

    /** Leading spaces are significant only in the text VRs that keep them (PS3.5 Table 6.2-1). */
    private static boolean leadingSignificant(VR vr) {
        return vr == VR.PN || vr == VR.UC;
    }

    private static String trimTrailing(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
            end--;
        }
        return s.substring(0, end);
    }

    private static String trimBoth(String s) {
        String t = trimTrailing(s);
        int start = 0;
        while (start < t.length() && t.charAt(start) == ' ') {
            start++;
        }
        return t.substring(start);
    }

    /** Bytes per swapped unit for a binary VR; 1 means no swapping. */
    static int width(VR vr) {
        return switch (vr) {
            case US, SS, OW, AT -> 2;
            case UL, SL, FL, OF, OL -> 4;
            case FD, OD, SV, UV, OV -> 8;
            default -> 1;
        };
    }

    static void swap(byte[] b, int width) {
        if (width == 1) {
            return;
        }
        for (int i = 0; i + width <= b.length; i += width) {
            for (int lo = i, hi = i + width - 1; lo < hi; lo++, hi--) {
                byte t = b[lo];
                b[lo] = b[hi];
                b[hi] = t;
            }
        }
    }

    /** The padded value field of a string element (even length). */
    static byte[] encodeStrings(DicomElement e, SpecificCharacterSet cs) {
        String joined = String.join("\\", e.strings());
        byte[] raw = e.vr().isCharsetDependent() ? cs.encode(joined, e.tag())
                : SpecificCharacterSet.encodePlain(joined, e.tag());
        if ((raw.length & 1) == 0) {
            return raw;
        }
        byte[] padded = java.util.Arrays.copyOf(raw, raw.length + 1);
        padded[raw.length] = (byte) e.vr().paddingByte();
        return padded;
    }
}
