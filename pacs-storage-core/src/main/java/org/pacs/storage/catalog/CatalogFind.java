package org.pacs.storage.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomElement;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.query.IndexedAttribute;
import org.pacs.storage.query.IndexedAttributes;
import org.pacs.storage.query.QueryMatcher;

/**
 * find() in two steps: SQL narrows the rows with the indexed keys it can translate exactly or as a superset
 * (every value a bound parameter), then the shared {@link QueryMatcher} applies the full PS3.4 semantics to
 * those rows, so the catalog answers exactly like every other backend.
 *
 * <p>Translated: UID single values and lists (IN); single text values, exact (=) or with '*'/'?' wildcards
 * (SQLite GLOB / PostgreSQL LIKE, escaped); person names case-insensitively (a superset of either matcher
 * setting). Left to the matcher alone: dates and times (partial precision), numbers (1 = 01), value lists on
 * text keys and derived attributes. The text translation assumes single-valued stored values, which the
 * indexed attributes are by definition (VM 1).
 */
final class CatalogFind {

    private static final int IN_CHUNK = 500;

    private CatalogFind() {
    }

    /** A WHERE clause and its parameters, in order. */
    record Where(String sql, List<String> params) {
    }

    static List<DicomDataset> find(Connection c, SqlDialect dialect, DicomDataset query, QueryMatcher matcher)
            throws SQLException {
        Where where = where(dialect, query);
        List<DicomDataset> rows = load(c, where.sql(), where.params());
        if (needsAggregates(query) && !rows.isEmpty()) {
            // counts and Modalities in Study are over every instance of a study, not only the matching ones
            Set<String> studies = new LinkedHashSet<>();
            rows.forEach(r -> studies.add(r.getString(Tag.StudyInstanceUID, "")));
            rows = new ArrayList<>();
            List<String> all = new ArrayList<>(studies);
            for (int i = 0; i < all.size(); i += IN_CHUNK) {
                List<String> chunk = all.subList(i, Math.min(all.size(), i + IN_CHUNK));
                rows.addAll(load(c, "migration_state <> 'REMOVING' AND study_uid IN ("
                        + "?, ".repeat(chunk.size() - 1) + "?)", chunk));
            }
        }
        return matcher.find(query, rows);
    }

    private static List<DicomDataset> load(Connection c, String where, List<String> params) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT sop_instance_uid, study_uid, series_uid, sop_class_uid");
        for (String col : CatalogAttributes.COLUMNS.values()) {
            sql.append(", ").append(col);
        }
        sql.append(" FROM instances WHERE ").append(where);
        List<DicomDataset> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                ps.setString(i + 1, params.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    DicomDataset d = new DicomDataset();
                    d.set(Tag.SOPInstanceUID, VR.UI, rs.getString(1));
                    d.set(Tag.StudyInstanceUID, VR.UI, rs.getString(2));
                    d.set(Tag.SeriesInstanceUID, VR.UI, rs.getString(3));
                    String sopClass = rs.getString(4);
                    if (sopClass != null && !sopClass.isEmpty()) {
                        d.set(Tag.SOPClassUID, VR.UI, sopClass);
                    }
                    int col = 5;
                    for (Map.Entry<Integer, String> e : CatalogAttributes.COLUMNS.entrySet()) {
                        String v = rs.getString(col++);
                        if (v != null) {
                            VR vr = IndexedAttributes.byTag(e.getKey()).orElseThrow().vr();
                            d.put(DicomElement.ofStrings(e.getKey(), vr, List.of(v.split("\\\\", -1))));
                        }
                    }
                    out.add(d);
                }
            }
        }
        return out;
    }

    private static boolean needsAggregates(DicomDataset query) {
        for (DicomElement e : query.elements()) {
            if (IndexedAttributes.byTag(e.tag()).map(IndexedAttribute::derived).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    static Where where(SqlDialect dialect, DicomDataset query) {
        StringBuilder sql = new StringBuilder("migration_state <> 'REMOVING'");
        List<String> params = new ArrayList<>();
        for (DicomElement e : query.elements()) {
            IndexedAttribute a = IndexedAttributes.byTag(e.tag()).orElse(null);
            String column = CatalogAttributes.column(e.tag());
            if (a == null || a.derived() || column == null || !e.vr().isString()) {
                continue;
            }
            List<String> values = new ArrayList<>();
            for (String v : query.getStrings(e.tag())) {
                for (String part : v.split("\\\\")) {
                    String t = part.strip();
                    if (!t.isEmpty()) {
                        values.add(t);
                    }
                }
            }
            if (values.isEmpty() || values.contains("*")) {
                continue; // universal
            }
            if (a.vr() == VR.UI) {
                sql.append(" AND ").append(column).append(" IN (").append("?, ".repeat(values.size() - 1))
                        .append("?)");
                params.addAll(values);
                continue;
            }
            if (values.size() > 1 || !isPlainText(a.vr())) {
                continue;
            }
            String v = values.get(0);
            if (a.vr() == VR.PN) {
                sql.append(" AND ").append(column).append(dialect.caseInsensitiveWildcardOperator());
                params.add(dialect.likePattern(v));
            } else if (v.indexOf('*') >= 0 || v.indexOf('?') >= 0) {
                sql.append(" AND ").append(column).append(dialect.wildcardOperator());
                params.add(dialect.wildcardPattern(v));
            } else {
                sql.append(" AND ").append(column).append(" = ?");
                params.add(v);
            }
        }
        return new Where(sql.toString(), params);
    }

    /** VRs the matcher compares as plain (possibly wildcarded) strings. */
    private static boolean isPlainText(VR vr) {
        return switch (vr) {
            case DA, TM, DT, IS, DS, UI -> false;
            default -> true;
        };
    }
}
