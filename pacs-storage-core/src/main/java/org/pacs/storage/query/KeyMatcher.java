package org.pacs.storage.query;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.pacs.storage.dicom.VR;

/**
 * PS3.4 C.2.2.2 matching of one key attribute against the values an instance holds, compiled once per query.
 * A key with several values (backslash-separated) matches when any of them does: that is List of UID Matching
 * (C.2.2.2.2) for UI and the common reading for CS keys such as Modalities in Study.
 */
public final class KeyMatcher implements Predicate<List<String>> {

    // Fixed-width templates: padding a partial value with the low template gives the earliest instant it
    // denotes and with the high template the latest, so "1030" covers 10:30:00 to 10:30:59.999999 and plain
    // string comparison orders them correctly.
    private static final String DA_LOW = "00000000";
    private static final String DA_HIGH = "99999999";
    private static final String TM_LOW = "000000.000000";
    private static final String TM_HIGH = "999999.999999";
    private static final String DT_LOW = "00000000000000.000000";
    private static final String DT_HIGH = "99999999999999.999999";
    /** One DT value (PS3.5 6.2): YYYY up to fractions of a second, then an optional UTC offset. */
    private static final Pattern DT_VALUE = Pattern.compile(
            "\\d{4}(\\d{2}(\\d{2}(\\d{2}(\\d{2}(\\d{2}(\\.\\d{1,6})?)?)?)?)?)?([+-]\\d{4})?");

    private final List<Predicate<String>> alternatives;
    private final boolean universal;

    private KeyMatcher(List<Predicate<String>> alternatives, boolean universal) {
        this.alternatives = alternatives;
        this.universal = universal;
    }

    /**
     * @param vr                 the key's VR, which decides the matching kind
     * @param keyValues          the key's values; none or only empty ones is universal matching
     * @param caseInsensitivePn  PN values compare ignoring case (the "fuzzy" option many PACS enable)
     */
    public static KeyMatcher compile(VR vr, List<String> keyValues, boolean caseInsensitivePn) {
        List<Predicate<String>> alts = new ArrayList<>();
        for (String raw : keyValues) {
            String v = IndexedAttributes.trimPadding(raw);
            if (!v.isEmpty()) {
                alts.add(single(vr, v, caseInsensitivePn));
            }
        }
        return new KeyMatcher(List.copyOf(alts), alts.isEmpty());
    }

    public boolean isUniversal() {
        return universal;
    }

    /** True when any candidate value matches any key value; an entity without a value never matches a key. */
    @Override
    public boolean test(List<String> candidateValues) {
        if (universal) {
            return true;
        }
        for (String raw : candidateValues) {
            String c = IndexedAttributes.trimPadding(raw);
            if (c.isEmpty()) {
                continue;
            }
            for (Predicate<String> p : alternatives) {
                if (p.test(c)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Predicate<String> single(VR vr, String key, boolean ciPn) {
        switch (vr) {
            case DA:
                return range(normalizeDate(key), DA_LOW, DA_HIGH, KeyMatcher::normalizeDate);
            case TM:
                return range(normalizeTime(key), TM_LOW, TM_HIGH, KeyMatcher::normalizeTime);
            case DT:
                return dateTimeRange(key);
            case UI:
                return key::equals;
            case IS:
            case DS:
                return c -> numericEquals(key, c);
            default:
                boolean ignoreCase = ciPn && vr == VR.PN;
                if (key.indexOf('*') >= 0 || key.indexOf('?') >= 0) {
                    Pattern p = wildcard(key, ignoreCase);
                    return c -> p.matcher(c).matches();
                }
                return ignoreCase ? key::equalsIgnoreCase : key::equals;
        }
    }

    /**
     * Range matching (C.2.2.2.5): "A-B", "A-" and "-B"; a value without a hyphen is a range of its own
     * precision, so a TM key "10" matches any time in that hour.
     */
    private static Predicate<String> range(String key, String low, String high,
                                           java.util.function.UnaryOperator<String> normalize) {
        int dash = key.indexOf('-');
        String from = dash < 0 ? key : key.substring(0, dash).trim();
        String to = dash < 0 ? key : key.substring(dash + 1).trim();
        return bounded(from, to, low, high, normalize);
    }

    /**
     * A DT key's hyphen may also start a negative UTC offset: "20200101120000-0500" is one value and
     * "20200101-20200102-0500" a range whose upper bound has an offset. Each hyphen is tried as the separator,
     * first to last, and the first that leaves a DT value (or nothing) on both sides in order wins; a key with
     * no such hyphen is one value. As in dicom-rs, a key as short as "1000-1100" reads as a range of years.
     */
    private static Predicate<String> dateTimeRange(String key) {
        for (int i = key.indexOf('-'); i >= 0; i = key.indexOf('-', i + 1)) {
            String from = key.substring(0, i).trim();
            String to = key.substring(i + 1).trim();
            boolean ends = (from.isEmpty() || DT_VALUE.matcher(from).matches())
                    && (to.isEmpty() || DT_VALUE.matcher(to).matches()) && !(from.isEmpty() && to.isEmpty());
            if (ends && (from.isEmpty() || to.isEmpty()
                    || pad(stripZone(from), DT_LOW).compareTo(pad(stripZone(to), DT_HIGH)) <= 0)) {
                return bounded(stripZone(from), stripZone(to), DT_LOW, DT_HIGH, KeyMatcher::stripZone);
            }
        }
        if (DT_VALUE.matcher(key).matches()) {
            String single = stripZone(key);
            return bounded(single, single, DT_LOW, DT_HIGH, KeyMatcher::stripZone);
        }
        return range(key, DT_LOW, DT_HIGH, KeyMatcher::stripZone); // not DT at all: compared as text bounds
    }

    private static Predicate<String> bounded(String from, String to, String low, String high,
                                             java.util.function.UnaryOperator<String> normalize) {
        String lo = from.isEmpty() ? null : pad(from, low);
        String hi = to.isEmpty() ? null : pad(to, high);
        return c -> {
            String cn = normalize.apply(c);
            if (cn.isEmpty()) {
                return false;
            }
            String cLow = pad(cn, low);
            String cHigh = pad(cn, high);
            return (lo == null || cHigh.compareTo(lo) >= 0) && (hi == null || cLow.compareTo(hi) <= 0);
        };
    }

    private static String pad(String value, String template) {
        if (value.length() >= template.length()) {
            return value.substring(0, template.length());
        }
        return value + template.substring(value.length());
    }

    /** DA also appears in the old ACR-NEMA form YYYY.MM.DD. */
    private static String normalizeDate(String v) {
        return v.replace(".", "").trim();
    }

    /** TM also appears as HH:MM:SS in old files. */
    private static String normalizeTime(String v) {
        return v.replace(":", "").trim();
    }

    /**
     * The "&ZZXX" offset of one DT value is dropped: instances are compared in their own local time (most
     * archives hold one site's local times). One value ends in at most one offset, so here a sign is no range.
     */
    private static String stripZone(String v) {
        String t = v.trim();
        int n = t.length();
        if (n >= 9 && (t.charAt(n - 5) == '+' || t.charAt(n - 5) == '-')) {
            return t.substring(0, n - 5);
        }
        return t;
    }

    private static boolean numericEquals(String key, String candidate) {
        if (key.equals(candidate)) {
            return true;
        }
        try {
            return new java.math.BigDecimal(key).compareTo(new java.math.BigDecimal(candidate)) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** C.2.2.2.4: "*" is any run of characters, "?" exactly one; everything else literal. */
    static Pattern wildcard(String key, boolean ignoreCase) {
        StringBuilder re = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < key.length(); i++) {
            char ch = key.charAt(i);
            if (ch == '*' || ch == '?') {
                if (literal.length() > 0) {
                    re.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                re.append(ch == '*' ? ".*" : ".");
            } else {
                literal.append(ch);
            }
        }
        if (literal.length() > 0) {
            re.append(Pattern.quote(literal.toString()));
        }
        int flags = Pattern.DOTALL | (ignoreCase ? Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE : 0);
        return Pattern.compile(re.toString(), flags);
    }

    @Override
    public String toString() {
        return universal ? "KeyMatcher[universal]" : "KeyMatcher[" + alternatives.size() + " value(s)]";
    }
}
