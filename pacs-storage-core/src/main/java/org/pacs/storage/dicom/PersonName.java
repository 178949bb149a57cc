package org.pacs.storage.dicom;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One PN value split into its component groups (PS3.5 §6.2.1): alphabetic, ideographic and phonetic, each still
 * holding its '^'-separated components. Trailing empty groups are dropped, as pydicom drops them, so
 * {@code Wang^XiaoDong=王^小東=} has two groups and prints without the trailing '='. A value is parsed after
 * Specific Character Set decoding, which already handles each group's own escape sequences, so every '=' left
 * is a group delimiter.
 */
public record PersonName(String alphabetic, String ideographic, String phonetic) {

    /** The keys of the DICOM JSON model (PS3.18 F.2.2), in group order. */
    public static final List<String> JSON_KEYS = List.of("Alphabetic", "Ideographic", "Phonetic");

    public PersonName {
        alphabetic = Objects.requireNonNullElse(alphabetic, "");
        ideographic = Objects.requireNonNullElse(ideographic, "");
        phonetic = Objects.requireNonNullElse(phonetic, "");
    }

    /** How many groups the value has once trailing empty ones are dropped: 0 (an empty value) to 3. */
    public int groups() {
        return !phonetic.isEmpty() ? 3 : !ideographic.isEmpty() ? 2 : !alphabetic.isEmpty() ? 1 : 0;
    }

    /**
     * Parses one decoded PN value ({@code Yamada^Tarou=山田^太郎=やまだ^たろう}). More than three groups is not
     * DICOM: the fourth and later are dropped, as the JSON model has no place for them.
     */
    public static PersonName parse(String value) {
        String[] g = {"", "", ""};
        int from = 0;
        for (int i = 0; i < 3; i++) {
            int eq = value.indexOf('=', from);
            g[i] = eq < 0 ? value.substring(from) : value.substring(from, eq);
            if (eq < 0) {
                break;
            }
            from = eq + 1;
        }
        return new PersonName(g[0], g[1], g[2]);
    }

    /** Each value of a PN element, parsed; empty for an element of another VR or without value. */
    public static List<PersonName> of(DicomElement e) {
        if (e.vr() != VR.PN) {
            return List.of();
        }
        List<PersonName> out = new ArrayList<>(e.strings().size());
        for (String s : e.strings()) {
            out.add(parse(s));
        }
        return Collections.unmodifiableList(out);
    }

    /** True for a value without any component: the JSON model writes it as null (PS3.18 F.2.5). */
    public boolean isEmpty() {
        return groups() == 0;
    }

    /** The groups up to the last non-empty one, as pydicom's {@code PersonName.components}. */
    public List<String> components() {
        return List.of(alphabetic, ideographic, phonetic).subList(0, groups());
    }

    /**
     * The PS3.18 F.2.2 object: {"Alphabetic": ..., "Ideographic": ..., "Phonetic": ...} with the groups up to the
     * last non-empty one (an empty group before a non-empty one is kept as ""), as pydicom writes it; empty for an
     * empty value.
     */
    public Map<String, String> toJson() {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> c = components();
        for (int i = 0; i < c.size(); i++) {
            out.put(JSON_KEYS.get(i), c.get(i));
        }
        return Collections.unmodifiableMap(out);
    }

    /** The value as DICOM writes it, without trailing '=' delimiters. */
    @Override
    public String toString() {
        return String.join("=", components());
    }
}
