package org.pacs.storage.dicom;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * A DICOM data set: elements ordered by tag. Not thread-safe; a dataset is a value one thread builds or reads.
 * Getters never throw for a missing or malformed value: they return empty, since real archives hold files that
 * bend the standard and an index must still be built from them.
 */
public final class DicomDataset {

    private final TreeMap<Integer, DicomElement> elements = new TreeMap<>(Integer::compareUnsigned);

    public DicomDataset() {
    }

    /** A deep-enough copy: elements are immutable records, so copying the map suffices. */
    public DicomDataset copy() {
        DicomDataset d = new DicomDataset();
        d.elements.putAll(elements);
        return d;
    }

    public Optional<DicomElement> get(int tag) {
        return Optional.ofNullable(elements.get(tag));
    }

    public boolean contains(int tag) {
        return elements.containsKey(tag);
    }

    public Collection<DicomElement> elements() {
        return Collections.unmodifiableCollection(elements.values());
    }

    public int size() {
        return elements.size();
    }

    public boolean isEmpty() {
        return elements.isEmpty();
    }

    /** First value of a string element, with DICOM padding trimmed; empty when absent or zero-length. */
    public Optional<String> getString(int tag) {
        List<String> values = getStrings(tag);
        if (values.isEmpty() || values.get(0).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(values.get(0));
    }

    public String getString(int tag, String defaultValue) {
        return getString(tag).orElse(defaultValue);
    }

    /** All values of a string element; binary numeric elements are rendered as decimal strings. */
    public List<String> getStrings(int tag) {
        DicomElement e = elements.get(tag);
        if (e == null) {
            return List.of();
        }
        if (e.vr().isString()) {
            return e.strings();
        }
        if (e.vr().kind() == VR.Kind.BINARY && e.fragments() == null) {
            return numericStrings(e);
        }
        return List.of();
    }

    public OptionalInt getInt(int tag) {
        List<String> s = getStrings(tag);
        if (s.isEmpty()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(s.get(0).trim()));
        } catch (NumberFormatException e) {
            try {
                return OptionalInt.of((int) Double.parseDouble(s.get(0).trim()));
            } catch (NumberFormatException e2) {
                return OptionalInt.empty();
            }
        }
    }

    /** The values of a PN element split into component groups; empty when absent or not PN. */
    public List<PersonName> getPersonNames(int tag) {
        DicomElement e = elements.get(tag);
        return e == null ? List.of() : PersonName.of(e);
    }

    /** A UID value with its trailing NUL padding removed. */
    public Optional<String> getUid(int tag) {
        return getString(tag).map(s -> s.replace("\0", "").trim()).filter(s -> !s.isEmpty());
    }

    /** DA values: YYYYMMDD, also the old ACR-NEMA YYYY.MM.DD form. */
    public Optional<LocalDate> getDate(int tag) {
        return getString(tag).flatMap(s -> {
            String v = s.replace(".", "").trim();
            try {
                return Optional.of(LocalDate.parse(v, DateTimeFormatter.BASIC_ISO_DATE));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        });
    }

    /** TM values: HH, HHMM, HHMMSS, HHMMSS.FFFFFF, and the old HH:MM:SS form. */
    public Optional<LocalTime> getTime(int tag) {
        return getString(tag).flatMap(s -> {
            String v = s.replace(":", "").trim();
            try {
                int h = Integer.parseInt(v.substring(0, 2));
                int m = v.length() >= 4 ? Integer.parseInt(v.substring(2, 4)) : 0;
                int sec = v.length() >= 6 ? Integer.parseInt(v.substring(4, 6)) : 0;
                int nanos = 0;
                if (v.length() > 7 && v.charAt(6) == '.') {
                    String frac = (v.substring(7) + "000000000").substring(0, 9);
                    nanos = Integer.parseInt(frac);
                }
                return Optional.of(LocalTime.of(h, m, sec, nanos));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    public List<DicomDataset> getItems(int tag) {
        DicomElement e = elements.get(tag);
        return e == null ? List.of() : e.items();
    }

    /** Sets a string element with the dictionary's VR. */
    public DicomDataset setString(int tag, String... values) {
        return set(tag, DicomDictionary.vrOf(tag), values);
    }

    public DicomDataset set(int tag, VR vr, String... values) {
        if (!vr.isString()) {
            throw new IllegalArgumentException(Tag.toString(tag) + " has VR " + vr + ", not a string VR");
        }
        return put(DicomElement.ofStrings(tag, vr, Arrays.asList(values)));
    }

    public DicomDataset setBytes(int tag, VR vr, byte[] value) {
        return put(DicomElement.ofBytes(tag, vr, value));
    }

    /** Sets a US/SS/UL/SL element from ints, encoded little-endian. */
    public DicomDataset setInt(int tag, VR vr, int... values) {
        int width = (vr == VR.US || vr == VR.SS) ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(values.length * width).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            if (width == 2) {
                b.putShort((short) v);
            } else {
                b.putInt(v);
            }
        }
        return setBytes(tag, vr, b.array());
    }

    public DicomDataset setItems(int tag, List<DicomDataset> items) {
        return put(DicomElement.ofItems(tag, items));
    }

    public DicomDataset put(DicomElement element) {
        elements.put(element.tag(), element);
        return this;
    }

    public DicomDataset remove(int tag) {
        elements.remove(tag);
        return this;
    }

    /** The elements of one group, e.g. 0x0002 for the file meta information. */
    public DicomDataset group(int group) {
        DicomDataset d = new DicomDataset();
        for (DicomElement e : elements.values()) {
            if (Tag.group(e.tag()) == group) {
                d.put(e);
            }
        }
        return d;
    }

    /** A copy without the elements of one group. */
    public DicomDataset withoutGroup(int group) {
        DicomDataset d = new DicomDataset();
        for (DicomElement e : elements.values()) {
            if (Tag.group(e.tag()) != group) {
                d.put(e);
            }
        }
        return d;
    }

    private static List<String> numericStrings(DicomElement e) {
        ByteBuffer b = ByteBuffer.wrap(e.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        int width = switch (e.vr()) {
            case US, SS -> 2;
            case UL, SL, FL, AT -> 4;
            case FD, SV, UV -> 8;
            default -> 0;
        };
        if (width == 0) {
            return List.of();
        }
        String[] out = new String[b.remaining() / width];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (e.vr()) {
                case US -> Integer.toString(Short.toUnsignedInt(b.getShort()));
                case SS -> Short.toString(b.getShort());
                case UL -> Integer.toUnsignedString(b.getInt());
                case SL -> Integer.toString(b.getInt());
                case FL -> Float.toString(b.getFloat());
                case AT -> Tag.toString((Short.toUnsignedInt(b.getShort()) << 16) | Short.toUnsignedInt(b.getShort()));
                case FD -> Double.toString(b.getDouble());
                case SV -> Long.toString(b.getLong());
                default -> Long.toUnsignedString(b.getLong());
            };
        }
        return List.of(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DicomDataset d && elements.equals(d.elements);
    }

    @Override
    public int hashCode() {
        return elements.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (DicomElement e : elements.values()) {
            sb.append(e).append('\n');
        }
        return sb.toString();
    }
}
