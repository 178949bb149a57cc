package org.pacs.storage.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.pacs.storage.dicom.DicomDictionary.Entry;

/**
 * Reads the PS3.6 table {@code dictionary.tsv} (generated from pydicom's copy of PS3.6 by
 * {@code src/build/gen_dictionary.py}; see DEVELOPERS.md). A resource, not Java constants: some 5,000 entries
 * would not fit one method's 64 KB of bytecode, and parsing 200 KB of text once costs a few milliseconds.
 * One line per attribute: tag or repeating-group mask, VR(s) joined by '|', VM, keyword ('-' for none),
 * 'R' when retired.
 */
final class DictionaryData {

    static final String RESOURCE = "dictionary.tsv";

    /** A repeating-group entry such as (60xx,0010): matches when {@code (tag & mask) == value}. */
    record Repeater(int value, int mask, boolean evenGroupsOnly, Entry entry) {

        boolean matches(int tag) {
            return (tag & mask) == value && (!evenGroupsOnly || (Tag.group(tag) & 1) == 0);
        }
    }

    /**
     * Exact entries by tag, every entry by keyword, and the repeating-group masks, also indexed so that a tag
     * no entry knows (most are private) is tried against the few masks of its group, not all of them.
     */
    record Table(Map<Integer, Entry> byTag, Map<String, Entry> byKeyword, List<Repeater> repeaters,
                 Map<Integer, Repeater[]> repeatersByKey) {

        Table(Map<Integer, Entry> byTag, Map<String, Entry> byKeyword, List<Repeater> repeaters) {
            this(byTag, byKeyword, repeaters, index(repeaters));
        }

        /** The repeating-group entry of a tag, with that tag, or null. */
        Entry repeating(int tag) {
            Entry e = match(repeatersByKey.get(Tag.group(tag)), tag);
            return e != null ? e : match(repeatersByKey.get(GROUP_MASK_KEY | (tag >>> 24)), tag);
        }

        private static Entry match(Repeater[] candidates, int tag) {
            if (candidates != null) {
                for (Repeater r : candidates) {
                    if (r.matches(tag)) {
                        return r.entry().withTag(tag);
                    }
                }
            }
            return null;
        }

        /** Element masks such as (0028,04x0) under their group; group masks such as (60xx,0010) by 0x60. */
        private static Map<Integer, Repeater[]> index(List<Repeater> repeaters) {
            Map<Integer, List<Repeater>> lists = new HashMap<>();
            for (Repeater r : repeaters) {
                int key = r.evenGroupsOnly() ? GROUP_MASK_KEY | (r.value() >>> 24) : Tag.group(r.value());
                lists.computeIfAbsent(key, k -> new ArrayList<>()).add(r);
            }
            Map<Integer, Repeater[]> out = new HashMap<>();
            lists.forEach((k, v) -> out.put(k, v.toArray(new Repeater[0])));
            return out;
        }
    }

    /** Keys of group masks in {@link Table#repeatersByKey}, apart from the group numbers of element masks. */
    private static final int GROUP_MASK_KEY = 0x10000;

    private DictionaryData() {
    }

    static Table load() {
        try (InputStream in = DictionaryData.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the DICOM dictionary resource " + RESOURCE
                        + " is missing from the class path; rebuild pacs-storage-core");
            }
            return parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the DICOM dictionary resource " + RESOURCE, e);
        }
    }

    /**
     * Scans the ASCII table by hand rather than with split and regular expressions: this runs once, cold, in
     * the interpreter, where every avoided allocation shows in the start-up time.
     */
    static Table parse(byte[] text) {
        Map<Integer, Entry> byTag = new HashMap<>(8192);
        Map<String, Entry> byKeyword = new HashMap<>(8192);
        List<Repeater> repeaters = new ArrayList<>();
        Map<String, String> vms = new HashMap<>();
        Map<String, List<VR>> vrLists = new HashMap<>();
        int number = 0;
        int pos = 0;
        int[] tabs = new int[4];
        while (pos < text.length) {
            int end = pos;
            while (end < text.length && text[end] != '\n') {
                end++;
            }
            number++;
            int start = pos;
            pos = end + 1;
            if (end == start || text[start] == '#') {
                continue;
            }
            int found = 0;
            for (int i = start; i < end && found < 4; i++) {
                if (text[i] == '\t') {
                    tabs[found++] = i;
                }
            }
            if (found != 4 || tabs[0] != start + 8) {
                throw new IllegalStateException(RESOURCE + " line " + number + ": expected 5 fields");
            }
            int value = 0;
            int mask = 0;
            for (int i = start; i < start + 8; i++) {
                int c = text[i];
                boolean free = c == 'x';
                value = (value << 4) | (free ? 0 : Character.digit(c, 16));
                mask = (mask << 4) | (free ? 0 : 0xF);
            }
            String vrField = ascii(text, tabs[0] + 1, tabs[1]);
            List<VR> vrs = vrLists.get(vrField);
            if (vrs == null) {
                vrs = vrs(vrField);
                vrLists.put(vrField, vrs);
            }
            String vm = ascii(text, tabs[1] + 1, tabs[2]);
            String known = vms.putIfAbsent(vm, vm);
            vm = known != null ? known : vm;
            String keyword = text[tabs[2] + 1] == '-' ? "" : ascii(text, tabs[2] + 1, tabs[3]);
            boolean retired = text[tabs[3] + 1] == 'R';
            Entry entry = new Entry(value, keyword, DicomDictionary.implicitDefault(vrs), vrs, vm, retired);
            if (mask != -1) {
                // (50xx,eeee), (60xx,eeee), (7Fxx,eeee): PS3.5 §7.6 repeats only even groups; odd ones are private.
                repeaters.add(new Repeater(value, mask, (mask >>> 16) != 0xFFFF, entry));
            } else {
                byTag.put(value, entry);
            }
            if (!keyword.isEmpty() && byKeyword.put(keyword, entry) != null) {
                throw new IllegalStateException(RESOURCE + " line " + number + ": keyword " + keyword + " twice");
            }
        }
        for (int i = 0; i < repeaters.size(); i++) {
            Repeater r = repeaters.get(i);
            if (byTag.containsKey(r.value())) {
                // (0028,04x3): its first tag (0028,0403) is another attribute's, so name it by the next one.
                Repeater moved = new Repeater(r.value(), r.mask(), r.evenGroupsOnly(),
                        r.entry().withTag(firstFreeTag(r, byTag)));
                repeaters.set(i, moved);
                byKeyword.replace(moved.entry().keyword(), moved.entry());
            }
        }
        return new Table(byTag, byKeyword, List.copyOf(repeaters));
    }

    /** The lowest tag a mask matches that no exact entry claims (exact entries win, as in pydicom). */
    private static int firstFreeTag(Repeater r, Map<Integer, Entry> byTag) {
        int free = ~r.mask();
        for (long n = 0; n <= Integer.toUnsignedLong(free); n++) {
            int tag = r.value() | deposit((int) n, free);
            if (r.matches(tag) && !byTag.containsKey(tag)) {
                return tag;
            }
        }
        throw new IllegalStateException(RESOURCE + ": every tag of mask " + Tag.toString(r.value()) + " is taken");
    }

    /** Spreads the low bits of n over the set bits of mask, lowest first. */
    private static int deposit(int n, int mask) {
        int out = 0;
        for (int bit = 0; bit < 32 && n != 0; bit++) {
            if ((mask & (1 << bit)) != 0) {
                if ((n & 1) != 0) {
                    out |= 1 << bit;
                }
                n >>>= 1;
            }
        }
        return out;
    }

    private static String ascii(byte[] text, int from, int to) {
        return new String(text, from, to - from, StandardCharsets.ISO_8859_1);
    }

    private static List<VR> vrs(String field) {
        List<VR> out = new ArrayList<>(2);
        for (String v : field.split("\\|")) {
            out.add(VR.valueOf(v));
        }
        return List.copyOf(out);
    }
}
