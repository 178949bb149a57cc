package org.pacs.storage.dicom;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Specific Character Set (0008,0005) decoding for the text VRs (PS3.3 C.12.1.1.2, PS3.5 §6.1). Single-byte
 * ISO_IR sets, ISO_IR 192, GB18030 and GBK map to a Java charset; ISO 2022 code extensions (Japanese IR 13/87/159,
 * Korean IR 149, Chinese IR 58 and the 96-character Latin/Cyrillic/... sets) are walked here, escape by escape,
 * because no JDK charset switches between those sets in the way DICOM uses them.
 */
final class SpecificCharacterSet {

    /** What a byte run in one G0/G1 designation decodes with. */
    private enum Codec {
        ASCII(StandardCharsets.US_ASCII, false),
        // Undeclared high bytes keep their byte value rather than turning into U+FFFD: nothing is lost.
        LATIN_FALLBACK(StandardCharsets.ISO_8859_1, false),
        JIS_ROMAN(StandardCharsets.US_ASCII, false),
        JIS_KATAKANA(Charset.forName("JIS_X0201"), false),
        JIS_X0208(Charset.forName("EUC-JP"), true),
        JIS_X0212(Charset.forName("EUC-JP"), true),
        KS_X1001(Charset.forName("EUC-KR"), true),
        GB2312(Charset.forName("GB2312"), true);

        final Charset charset;
        final boolean twoByte;

        Codec(Charset charset, boolean twoByte) {
            this.charset = charset;
            this.twoByte = twoByte;
        }
    }

    private static final Map<String, String> SINGLE = Map.ofEntries(
            Map.entry("ISO_IR 6", "US-ASCII"), Map.entry("ISO_IR 100", "ISO-8859-1"),
            Map.entry("ISO_IR 101", "ISO-8859-2"), Map.entry("ISO_IR 109", "ISO-8859-3"),
            Map.entry("ISO_IR 110", "ISO-8859-4"), Map.entry("ISO_IR 144", "ISO-8859-5"),
            Map.entry("ISO_IR 127", "ISO-8859-6"), Map.entry("ISO_IR 126", "ISO-8859-7"),
            Map.entry("ISO_IR 138", "ISO-8859-8"), Map.entry("ISO_IR 148", "ISO-8859-9"),
            Map.entry("ISO_IR 203", "ISO-8859-15"), Map.entry("ISO_IR 166", "x-iso-8859-11"),
            Map.entry("ISO_IR 13", "JIS_X0201"), Map.entry("ISO_IR 192", "UTF-8"),
            Map.entry("GB18030", "GB18030"), Map.entry("GBK", "GBK"));

    /** Final byte of "ESC - F" designations of 96-character sets to G1. */
    private static final Map<Integer, String> G1_96 = Map.ofEntries(
            Map.entry((int) 'A', "ISO-8859-1"), Map.entry((int) 'B', "ISO-8859-2"),
            Map.entry((int) 'C', "ISO-8859-3"), Map.entry((int) 'D', "ISO-8859-4"),
            Map.entry((int) 'L', "ISO-8859-5"), Map.entry((int) 'G', "ISO-8859-6"),
            Map.entry((int) 'F', "ISO-8859-7"), Map.entry((int) 'H', "ISO-8859-8"),
            Map.entry((int) 'M', "ISO-8859-9"), Map.entry((int) 'T', "x-iso-8859-11"),
            Map.entry((int) 'b', "ISO-8859-15"));

    /** Declared after the maps it reads during class initialisation. */
    static final SpecificCharacterSet DEFAULT = new SpecificCharacterSet(List.of(), false);

    private final List<String> terms;
    private final boolean iso2022;
    private final Charset single;
    private final Codec initialG0;
    private final Codec initialG1Codec;
    private final Charset initialG1Charset;

    private SpecificCharacterSet(List<String> terms, boolean iso2022) {
        this.terms = terms;
        this.iso2022 = iso2022;
        String first = terms.isEmpty() ? "" : terms.get(0).trim().toUpperCase(Locale.ROOT);
        Codec g0 = Codec.ASCII;
        Codec g1 = Codec.LATIN_FALLBACK;
        Charset g1Charset = null;
        Charset s = StandardCharsets.ISO_8859_1;
        if (!iso2022) {
            String name = SINGLE.get(first);
            // ASCII is read as Latin-1 so that stray high bytes survive; an unknown term does the same.
            s = name == null || name.equals("US-ASCII") ? StandardCharsets.ISO_8859_1 : Charset.forName(name);
        } else {
            switch (first.replace("ISO 2022 ", "")) {
                // ISO_IR 13 without extensions: its 0x5C must still split values, so it is walked like IR 13.
                case "IR 13", "ISO_IR 13" -> { g0 = Codec.JIS_ROMAN; g1 = Codec.JIS_KATAKANA; }
                case "IR 87" -> g0 = Codec.JIS_X0208;
                case "IR 159" -> g0 = Codec.JIS_X0212;
                case "IR 149" -> g1 = Codec.KS_X1001;
                case "IR 58" -> g1 = Codec.GB2312;
                default -> g1Charset = singleG1(first);
            }
        }
        this.single = s;
        this.initialG0 = g0;
        this.initialG1Codec = g1;
        this.initialG1Charset = g1Charset;
    }

    private static Charset singleG1(String term) {
        String n = SINGLE.get(term.replace("ISO 2022 ", "ISO_"));
        return n == null || n.equals("US-ASCII") || n.equals("UTF-8") ? null : Charset.forName(n);
    }

    /** From the values of (0008,0005); an empty list is the default repertoire. */
    static SpecificCharacterSet of(List<String> values) {
        if (values.isEmpty() || values.size() == 1 && values.get(0).isBlank()) {
            return DEFAULT;
        }
        SpecificCharacterSet known = SEEN.get(values);
        if (known != null) {
            return known;
        }
        List<String> terms = values.stream().map(SpecificCharacterSet::normalize).toList();
        boolean iso2022 = terms.stream().anyMatch(v -> v.startsWith("ISO 2022")) || terms.get(0).equals("ISO_IR 13");
        SpecificCharacterSet made = new SpecificCharacterSet(terms, iso2022);
        if (SEEN.size() < SEEN_MAX) {
            SEEN.putIfAbsent(List.copyOf(values), made);
        }
        return made;
    }

    /**
     * Character sets already built, by the values they were built from: every instance of a study names the same
     * one, and building it (names normalised, charsets looked up) cost more than parsing the rest of a small
     * header. Bounded, so files naming ever new values cannot grow it: past the bound each is built afresh.
     */
    private static final java.util.concurrent.ConcurrentHashMap<List<String>, SpecificCharacterSet> SEEN =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int SEEN_MAX = 256;

    /** Tolerates the spellings seen in the wild: "ISO-IR 100", "ISO_IR100", "iso 2022 ir 87". */
    static String normalize(String term) {
        String t = term.trim().toUpperCase(Locale.ROOT).replace("ISO-IR", "ISO_IR").replace("ISO2022", "ISO 2022");
        return spaceBeforeNumber(spaceBeforeNumber(t, "ISO_IR"), "ISO 2022 IR");
    }

    /** "ISO_IR100" as "ISO_IR 100": a space between {@code prefix} and the digit right after it. */
    private static String spaceBeforeNumber(String t, String prefix) {
        if (t.length() > prefix.length() && t.startsWith(prefix)) {
            char c = t.charAt(prefix.length());
            if (c >= '0' && c <= '9') {
                return prefix + " " + t.substring(prefix.length());
            }
        }
        return t;
    }

    List<String> terms() {
        return terms;
    }

    boolean isIso2022() {
        return iso2022;
    }

    /** Decodes a whole value field (all values, delimiters included). */
    String decode(byte[] b, boolean personName) {
        if (!iso2022) {
            return new String(b, single);
        }
        return decode2022(b, personName);
    }

    private String decode2022(byte[] b, boolean personName) {
        StringBuilder out = new StringBuilder(b.length);
        Codec g0 = initialG0;
        Codec g1 = initialG1Codec;
        Charset g1Charset = initialG1Charset;
        int i = 0;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            if (c == 0x1B) {
                int used = 1;
                if (i + 2 < b.length && b[i + 1] == '(' ) {
                    g0 = b[i + 2] == 'J' ? Codec.JIS_ROMAN : Codec.ASCII;
                    used = 3;
                } else if (i + 2 < b.length && b[i + 1] == ')' && b[i + 2] == 'I') {
                    g1 = Codec.JIS_KATAKANA;
                    g1Charset = null;
                    used = 3;
                } else if (i + 2 < b.length && b[i + 1] == '-') {
                    g1Charset = Charset.forName(G1_96.getOrDefault((int) b[i + 2], "ISO-8859-1"));
                    used = 3;
                } else if (i + 2 < b.length && b[i + 1] == '$' && (b[i + 2] == 'B' || b[i + 2] == '@')) {
                    g0 = Codec.JIS_X0208;
                    used = 3;
                } else if (i + 3 < b.length && b[i + 1] == '$' && b[i + 2] == '(' && b[i + 3] == 'D') {
                    g0 = Codec.JIS_X0212;
                    used = 4;
                } else if (i + 3 < b.length && b[i + 1] == '$' && b[i + 2] == ')') {
                    g1 = b[i + 3] == 'A' ? Codec.GB2312 : Codec.KS_X1001;
                    g1Charset = null;
                    used = 4;
                }
                i += used;
                continue;
            }
            if (c < 0x80) {
                if (g0.twoByte && c > 0x20 && i + 1 < b.length && (b[i + 1] & 0xFF) > 0x20) {
                    int n = run(b, i, false);
                    out.append(decodeTwoByteGl(b, i, n, g0));
                    i += n;
                    continue;
                }
                boolean delimiter = c == '\\' || personName && c == '=';
                out.append((char) c);
                i++;
                if (delimiter) {
                    // Each value and each PN component group starts again in the initial sets (PS3.5 §6.1.2.5.3).
                    g0 = initialG0;
                    g1 = initialG1Codec;
                    g1Charset = initialG1Charset;
                }
                continue;
            }
            int n = run(b, i, true);
            if (g1Charset != null) {
                out.append(new String(b, i, n, g1Charset));
            } else if (g1.twoByte) {
                out.append(new String(b, i, n - (n & 1), g1.charset));
                if ((n & 1) != 0) {
                    out.append('\uFFFD');
                }
            } else {
                out.append(new String(b, i, n, g1.charset));
            }
            i += n;
        }
        return out.toString();
    }

    /** Length of the run of GL graphic bytes (or of GR bytes) starting at i. */
    private static int run(byte[] b, int i, boolean high) {
        int j = i;
        while (j < b.length) {
            int c = b[j] & 0xFF;
            if (high ? c < 0x80 : (c <= 0x20 || c >= 0x7F)) {
                break;
            }
            j++;
        }
        return j - i;
    }

    /** JIS X 0208/0212 in G0 are the EUC-JP code points with the high bits cleared. */
    private static String decodeTwoByteGl(byte[] b, int i, int n, Codec g0) {
        int pairs = n / 2;
        boolean x0212 = g0 == Codec.JIS_X0212;
        byte[] euc = new byte[pairs * (x0212 ? 3 : 2)];
        int k = 0;
        for (int p = 0; p < pairs; p++) {
            if (x0212) {
                euc[k++] = (byte) 0x8F;
            }
            euc[k++] = (byte) (b[i + 2 * p] | 0x80);
            euc[k++] = (byte) (b[i + 2 * p + 1] | 0x80);
        }
        String s = new String(euc, g0.charset);
        return (n & 1) != 0 ? s + '\uFFFD' : s;
    }

    /**
     * Encodes text for the writer. ISO 2022 extensions are read but not written: a dataset built in memory should
     * declare ISO_IR 192, which holds every character.
     */
    byte[] encode(String s, int tag) {
        Charset cs = iso2022 ? StandardCharsets.US_ASCII : single;
        if (!iso2022 && terms.isEmpty()) {
            cs = StandardCharsets.US_ASCII;
        }
        return encode(s, tag, cs);
    }

    /** Values of the non-text VRs (CS, UI, DA, ...): bytes as read back, never a silent '?'. */
    static byte[] encodePlain(String s, int tag) {
        return DEFAULT.encode(s, tag, StandardCharsets.ISO_8859_1);
    }

    private byte[] encode(String s, int tag, Charset cs) {
        CharsetEncoder enc = cs.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            ByteBuffer bb = enc.encode(CharBuffer.wrap(s));
            byte[] out = new byte[bb.remaining()];
            bb.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new org.pacs.storage.StorageException(org.pacs.storage.StorageException.Reason.INVALID_INPUT,
                    "Value of " + Tag.toString(tag) + " cannot be written in Specific Character Set "
                            + (terms.isEmpty() ? "(default repertoire)" : String.join("\\", terms))
                            + "; set SpecificCharacterSet (0008,0005) to ISO_IR 192 (UTF-8).");
        }
    }
}
