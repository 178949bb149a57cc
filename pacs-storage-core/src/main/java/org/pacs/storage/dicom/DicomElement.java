package org.pacs.storage.dicom;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One data element. Exactly one of the value holders is used, chosen by the VR's kind: {@code strings} for
 * string and text VRs (already decoded), {@code bytes} for binary VRs (little-endian), {@code items} for
 * sequences and {@code fragments} for encapsulated pixel data (the first fragment is the basic offset table,
 * possibly empty).
 */
public record DicomElement(int tag, VR vr, List<String> strings, byte[] bytes, List<DicomDataset> items,
                           List<byte[]> fragments) {

    public DicomElement {
        Objects.requireNonNull(vr, "vr");
        // One empty value and no value encode the same (zero length), so they are one value in memory too.
        strings = strings == null || strings.size() == 1 && strings.get(0).isEmpty() ? List.of() : List.copyOf(strings);
        bytes = bytes == null ? new byte[0] : bytes;
        items = items == null ? List.of() : List.copyOf(items);
        fragments = fragments == null ? null : List.copyOf(fragments);
    }

    public static DicomElement ofStrings(int tag, VR vr, List<String> values) {
        return new DicomElement(tag, vr, values, null, null, null);
    }

    public static DicomElement ofBytes(int tag, VR vr, byte[] value) {
        return new DicomElement(tag, vr, null, value, null, null);
    }

    public static DicomElement ofItems(int tag, List<DicomDataset> items) {
        return new DicomElement(tag, VR.SQ, null, null, items, null);
    }

    public static DicomElement ofFragments(int tag, VR vr, List<byte[]> fragments) {
        return new DicomElement(tag, vr, null, null, null, fragments);
    }

    public boolean isEncapsulated() {
        return fragments != null;
    }

    /** True when the element has no value (zero length): a return key or universal match in a query. */
    public boolean isEmpty() {
        return switch (vr.kind()) {
            case STRING, TEXT -> strings.isEmpty() || strings.stream().allMatch(String::isEmpty);
            case SEQUENCE -> items.isEmpty();
            case BINARY -> fragments == null ? bytes.length == 0 : fragments.isEmpty();
        };
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DicomElement e)) {
            return false;
        }
        return tag == e.tag && vr == e.vr && strings.equals(e.strings) && Arrays.equals(bytes, e.bytes)
                && items.equals(e.items) && fragmentsEqual(fragments, e.fragments);
    }

    private static boolean fragmentsEqual(List<byte[]> a, List<byte[]> b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tag, vr, strings, Arrays.hashCode(bytes), items,
                fragments == null ? 0 : fragments.size());
    }

    @Override
    public String toString() {
        String v = switch (vr.kind()) {
            case STRING, TEXT -> String.join("\\", strings);
            case SEQUENCE -> items.size() + " item(s)";
            case BINARY -> fragments != null ? fragments.size() + " fragment(s)" : bytes.length + " bytes";
        };
        return Tag.toString(tag) + " " + vr + " [" + v + "]";
    }
}
