package org.pacs.storage.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomElement;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.query.IndexedAttribute;
import org.pacs.storage.query.IndexedAttributes;
import org.pacs.storage.query.QueryMatcher;

/**
 * Translates the keys of a query into a WHERE clause over indexed columns (every value a bound parameter). The
 * clause selects a superset of the rows the {@link QueryMatcher} accepts, never fewer; it is <em>exact</em> when
 * it selects no more either, which lets {@link CatalogFind} page in SQL.
 *
 * <ul>
 * <li>UIDs, single values and lists: {@code IN}; exact.
 * <li>Text: {@code =}, a list of plain values {@code IN}, '*'/'?' wildcards as SQLite GLOB / PostgreSQL LIKE
 *     (escaped); exact. "*" alone is {@code IS NOT NULL} (a key never matches an absent value). Person names
 *     under a case-insensitive matcher: ASCII-case-insensitive LIKE (SQLite NOCASE index, PostgreSQL
 *     lower() index) with every non-ASCII character of the key a one-character wildcard, so Unicode case
 *     folding the databases lack cannot drop a match; a superset. (Not covered: the three non-ASCII letters
 *     Java folds onto ASCII ones, KELVIN SIGN, LONG S and DOTTED CAPITAL I, stored where the key has k, s or i.)
 * <li>Dates and times (DA, TM), one value or range: an index range over the value with ACR-NEMA separators
 *     removed ({@link #normalized}). DA values compare lexically; a stored value shorter than the bounds (a
 *     partial date) matches when it is a prefix of the lower bound, which is added as an IN list. Exact for
 *     digit keys; see {@link #range}.
 * <li>Left to the matcher: numbers (IS, DS: 1 = 01), value lists with wildcards, derived attributes (counts,
 *     Modalities in Study), keys with non-ASCII range bounds.
 * </ul>
 * Indexed attributes are single-valued (VM 1) by definition; a stored value list ("A\B") is compared as one
 * string here, as it always was.
 */
final class CatalogWhere {

    /**
     * A WHERE clause, its parameters in order, and whether it selects exactly the matcher's rows; and the same
     * rows as disjoint {@code branches} for a UNION ALL (one branch: the clause itself). A date range with
     * prefixes is "(range) OR IN (prefixes)": an OR makes SQLite look every row up by rowid and PostgreSQL do a
     * bitmap heap scan, where each branch alone can read a covering index.
     */
    record Where(String sql, List<String> params, boolean exact, List<Where> branches) {
    }

    /** Which alternative of the first split range to emit: both (OR), the range or the prefixes. */
    private enum Part { BOTH, RANGE, PREFIXES }

    /** Building state: the part wanted and whether a range has been split already. */
    private static final class Build {
        final Part part;
        boolean split;

        Build(Part part) {
            this.part = part;
        }
    }

    // the matcher's fixed-width templates (KeyMatcher): a partial value padded low is its earliest instant
    private static final String DA_LOW = "00000000";
    private static final String DA_HIGH = "99999999";
    private static final String TM_LOW = "000000.000000";
    private static final String TM_HIGH = "999999.999999";
    private static final Pattern ASCII = Pattern.compile("\\p{ASCII}*");

    private CatalogWhere() {
    }

    static Where of(SqlDialect dialect, DicomDataset query, QueryMatcher matcher) {
        Build probe = new Build(Part.BOTH);
        Where all = of(dialect, query, matcher, probe);
        if (!probe.split) {
            return new Where(all.sql(), all.params(), all.exact(), List.of(all));
        }
        return new Where(all.sql(), all.params(), all.exact(), List.of(of(dialect, query, matcher,
                new Build(Part.RANGE)), of(dialect, query, matcher, new Build(Part.PREFIXES))));
    }

    private static Where of(SqlDialect dialect, DicomDataset query, QueryMatcher matcher, Build build) {
        StringBuilder sql = new StringBuilder("migration_state <> 'REMOVING'");
        List<String> params = new ArrayList<>();
        boolean exact = true;
        for (DicomElement e : query.elements()) {
            IndexedAttribute a = IndexedAttributes.byTag(e.tag()).orElse(null);
            if (a == null || !e.vr().isString()) {
                continue; // the matcher treats these as return keys only
            }
            List<String> values = values(e);
            if (values.isEmpty()) {
                continue; // universal
            }
            String column = CatalogAttributes.column(e.tag());
            if (a.derived() || column == null) {
                exact = false; // a key on counts or Modalities in Study: the matcher decides
                continue;
            }
            exact &= key(dialect, a.vr(), column, values, matcher.caseInsensitivePersonNames(), sql, params, build);
        }
        return new Where(sql.toString(), params, exact, List.of());
    }

    /** Appends the condition for one key; returns whether it is exact. */
    private static boolean key(SqlDialect dialect, VR vr, String column, List<String> values, boolean ciPn,
                               StringBuilder sql, List<String> params, Build build) {
        if (vr == VR.UI) {
            in(column, values, sql, params);
            return true;
        }
        if (vr == VR.DA || vr == VR.TM) {
            return values.size() == 1 && range(dialect, column, vr, values.get(0), sql, params, build);
        }
        if (!isPlainText(vr)) {
            return false;
        }
        boolean ci = ciPn && vr == VR.PN;
        if (values.size() > 1) {
            if (ci || values.stream().anyMatch(CatalogWhere::hasWildcard)) {
                return false;
            }
            in(column, values, sql, params);
            return true;
        }
        String v = values.get(0);
        if (v.chars().allMatch(ch -> ch == '*')) {
            sql.append(" AND ").append(column).append(" IS NOT NULL");
            return true;
        }
        if (ci) {
            sql.append(" AND ").append(dialect.caseInsensitiveLike(column));
            params.add(dialect.likePattern(asciiOnly(v)));
            return false;
        }
        if (hasWildcard(v)) {
            sql.append(" AND ").append(column).append(dialect.wildcardOperator());
            params.add(dialect.wildcardPattern(v));
        } else {
            sql.append(" AND ").append(column).append(" = ?");
            params.add(v);
        }
        return true;
    }

    private static void in(String column, List<String> values, StringBuilder sql, List<String> params) {
        sql.append(" AND ").append(column).append(" IN (").append("?, ".repeat(values.size() - 1)).append("?)");
        params.addAll(values);
    }

    /**
     * A DA or TM key as the matcher reads it (KeyMatcher.range): separators removed, "A-B", "A-", "-B" or one
     * value standing for the range of its own precision; bounds padded to full width with the low and high
     * templates. A stored value v (normalized) matches when pad(v, high) >= lo and pad(v, low) <= hi. In string
     * order that is: v >= lo or v a prefix of lo that qualifies (checked here), and v < succ(hi) (hi with its last
     * character incremented, so longer values whose first characters equal hi stay in). That condition is a
     * superset for any key and exact when every character of hi is at least the low template's there (digit keys).
     * Keys with non-ASCII characters are left to the matcher (UTF-8 and UTF-16 orders differ beyond ASCII).
     */
    private static boolean range(SqlDialect dialect, String column, VR vr, String key, StringBuilder sql,
                                 List<String> params, Build build) {
        String low = vr == VR.DA ? DA_LOW : TM_LOW;
        String high = vr == VR.DA ? DA_HIGH : TM_HIGH;
        String k = (vr == VR.DA ? key.replace(".", "") : key.replace(":", "")).trim();
        if (!ASCII.matcher(k).matches()) {
            return false;
        }
        int dash = k.indexOf('-');
        String from = dash < 0 ? k : k.substring(0, dash).trim();
        String to = dash < 0 ? k : k.substring(dash + 1).trim();
        if (from.isEmpty() && to.isEmpty()) {
            return false; // "-": any value at all; the matcher decides
        }
        String lo = from.isEmpty() ? null : pad(from, low);
        String hi = to.isEmpty() ? null : pad(to, high);
        String x = dialect.binary(normalized(vr, column));
        List<String> prefixes = new ArrayList<>();
        if (lo != null) {
            for (int n = 1; n < lo.length(); n++) {
                String p = lo.substring(0, n);
                if (pad(p, high).compareTo(lo) >= 0 && (hi == null || pad(p, low).compareTo(hi) <= 0)) {
                    prefixes.add(p);
                }
            }
        }
        String upper = hi == null ? null : successor(hi);
        // the branches are disjoint: every prefix is shorter than lo, so lower than it
        Part part = Part.BOTH;
        if (!prefixes.isEmpty() && !build.split) {
            build.split = true;
            part = build.part;
        }
        sql.append(" AND (");
        if (part != Part.PREFIXES) {
            sql.append('(');
            if (lo != null) {
                sql.append(x).append(" >= ?");
                params.add(lo);
            } else {
                sql.append(x).append(" > ''"); // an empty value never matches
            }
            if (upper != null) {
                sql.append(" AND ").append(x).append(" < ?");
                params.add(upper);
            }
            sql.append(')');
        }
        if (!prefixes.isEmpty() && part != Part.RANGE) {
            sql.append(part == Part.BOTH ? " OR " : "").append(x).append(" IN (")
                    .append("?, ".repeat(prefixes.size() - 1)).append("?)");
            params.addAll(prefixes);
        }
        sql.append(')');
        boolean exact = upper != null || hi == null;
        if (hi != null) {
            for (int i = 0; i < hi.length(); i++) {
                exact &= hi.charAt(i) >= low.charAt(i);
            }
        }
        return exact;
    }

    /**
     * The SQL for a stored DA/TM value as the matcher compares it (ACR-NEMA '.' or ':' removed, spaces
     * trimmed); the schema indexes exactly this expression for StudyDate, so it must not change.
     */
    static String normalized(VR vr, String column) {
        return "trim(replace(" + column + ", '" + (vr == VR.DA ? "." : ":") + "', ''))";
    }

    private static String successor(String s) {
        char last = s.charAt(s.length() - 1);
        return last == Character.MAX_VALUE ? null : s.substring(0, s.length() - 1) + (char) (last + 1);
    }

    private static String pad(String value, String template) {
        return value.length() >= template.length() ? value.substring(0, template.length())
                : value + template.substring(value.length());
    }

    /** The key's values as the matcher compiles them: padding trimmed, empty ones dropped. */
    static List<String> values(DicomElement e) {
        List<String> out = new ArrayList<>();
        for (String raw : e.strings()) {
            String v = trimPadding(raw);
            if (!v.isEmpty()) {
                out.add(v);
            }
        }
        return out;
    }

    /** As IndexedAttributes.trimPadding: trailing spaces and NULs, leading spaces. */
    private static String trimPadding(String v) {
        int end = v.length();
        while (end > 0 && (v.charAt(end - 1) == ' ' || v.charAt(end - 1) == '\0')) {
            end--;
        }
        int start = 0;
        while (start < end && v.charAt(start) == ' ') {
            start++;
        }
        return v.substring(start, end);
    }

    private static boolean hasWildcard(String v) {
        return v.indexOf('*') >= 0 || v.indexOf('?') >= 0;
    }

    /** Non-ASCII characters become '?' (one character): the databases fold only ASCII case. */
    private static String asciiOnly(String v) {
        StringBuilder b = new StringBuilder(v.length());
        v.codePoints().forEach(cp -> {
            if (cp < 0x80) {
                b.append((char) cp);
            } else {
                b.append('?');
            }
        });
        return b.toString();
    }

    /** VRs the matcher compares as plain (possibly wildcarded) strings. */
    private static boolean isPlainText(VR vr) {
        return switch (vr) {
            case DA, TM, DT, IS, DS, UI -> false;
            default -> true;
        };
    }
}
