package org.pacs.storage.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.pacs.storage.QueryLevel;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomElement;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;

/**
 * Translates a C-FIND identifier into one indexed SQL query (every value a bound parameter) and the rows back
 * into result identifiers: one per entity at the query's level, carrying the requested return keys and the
 * unique keys down to that level.
 *
 * <p>Matching (PS3.4 C.2.2.2): empty value or "*" = universal; UIDs = single value or list (backslash);
 * '*' and '?' = wildcard, case-sensitive except person names; DA/TM "a-b", "-b", "a-" = range; anything
 * else = exact. Keys the catalog does not keep are not matched and come back empty.
 */
final class CatalogFind {

    private CatalogFind() {
    }

    /** A WHERE clause and its parameters, in order. */
    record Where(String sql, List<String> params) {
    }

    static List<DicomDataset> find(Connection c, SqlDialect dialect, DicomDataset query) throws SQLException {
        QueryLevel level = QueryLevel.parse(query.getString(Tag.QueryRetrieveLevel).orElse(null));
        CatalogColumn key = CatalogColumn.uniqueKey(level);
        List<CatalogColumn> columns = new ArrayList<>();
        for (CatalogColumn col : CatalogColumn.values()) {
            if (col.level().ordinal() <= level.ordinal()) {
                columns.add(col);
            }
        }
        Where where = where(dialect, query);
        StringBuilder sql = new StringBuilder("SELECT ");
        boolean grouped = level != QueryLevel.IMAGE;
        for (CatalogColumn col : columns) {
            sql.append(grouped && col != key ? "MAX(" + col.column() + ")" : col.column()).append(", ");
        }
        sql.append(grouped ? "COUNT(*), COUNT(DISTINCT series_uid)" : "1, 1");
        sql.append(" FROM instances WHERE ").append(where.sql());
        if (grouped) {
            sql.append(" GROUP BY ").append(key.column());
        }
        sql.append(" ORDER BY ").append(key.column());
        List<DicomDataset> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            bind(ps, where.params());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(toResult(rs, query, level, columns));
                }
            }
        }
        return out;
    }

    static void bind(PreparedStatement ps, List<String> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setString(i + 1, params.get(i));
        }
    }

    static Where where(SqlDialect dialect, DicomDataset query) {
        StringBuilder sql = new StringBuilder("migration_state <> 'REMOVING'");
        List<String> params = new ArrayList<>();
        for (DicomElement e : query.elements()) {
            CatalogColumn col = CatalogColumn.forTag(e.tag());
            if (col == null) {
                continue;
            }
            List<String> values = query.getStrings(e.tag());
            String value = values.isEmpty() ? "" : values.get(0);
            if (value.isEmpty() || value.equals("*")) {
                continue;
            }
            String name = col.column();
            switch (col.kind()) {
                case UID -> {
                    List<String> list = new ArrayList<>();
                    values.forEach(v -> list.addAll(List.of(v.split("\\\\"))));
                    sql.append(" AND ").append(name).append(" IN (");
                    for (int i = 0; i < list.size(); i++) {
                        sql.append(i == 0 ? "?" : ", ?");
                        params.add(list.get(i).trim());
                    }
                    sql.append(')');
                }
                case DATE, TIME -> {
                    int dash = value.indexOf('-');
                    if (dash < 0) {
                        exactOrWildcard(dialect, sql, params, name, value, false);
                    } else {
                        String from = value.substring(0, dash).trim();
                        String to = value.substring(dash + 1).trim();
                        if (!from.isEmpty()) {
                            sql.append(" AND ").append(name).append(" >= ?");
                            params.add(from);
                        }
                        if (!to.isEmpty()) {
                            // a bare upper time bound includes the whole of its last unit (1200 covers 120059.9)
                            sql.append(" AND ").append(name).append(" <= ?");
                            params.add(col.kind() == CatalogColumn.Kind.TIME ? to + "\uffff" : to);
                        }
                    }
                }
                case PERSON_NAME -> exactOrWildcard(dialect, sql, params, name, value, true);
                case STRING -> exactOrWildcard(dialect, sql, params, name, value, false);
                default -> throw new IllegalStateException(col.kind().name());
            }
        }
        return new Where(sql.toString(), params);
    }

    private static void exactOrWildcard(SqlDialect dialect, StringBuilder sql, List<String> params, String name,
                                        String value, boolean ignoreCase) {
        boolean wildcard = value.indexOf('*') >= 0 || value.indexOf('?') >= 0;
        if (ignoreCase) {
            sql.append(" AND ").append(name).append(dialect.caseInsensitiveWildcardOperator());
            params.add(dialect.likePattern(value));
        } else if (wildcard) {
            sql.append(" AND ").append(name).append(dialect.wildcardOperator());
            params.add(dialect.wildcardPattern(value));
        } else {
            sql.append(" AND ").append(name).append(" = ?");
            params.add(value);
        }
    }

    private static DicomDataset toResult(ResultSet rs, DicomDataset query, QueryLevel level,
                                         List<CatalogColumn> columns) throws SQLException {
        DicomDataset d = new DicomDataset();
        d.set(Tag.QueryRetrieveLevel, VR.CS, level.name());
        for (int i = 0; i < columns.size(); i++) {
            CatalogColumn col = columns.get(i);
            boolean uniqueKey = col == CatalogColumn.uniqueKey(col.level()) && col.level().ordinal() > 0;
            if (query.contains(col.tag()) || uniqueKey || col == CatalogColumn.uniqueKey(level)) {
                String v = rs.getString(i + 1);
                if (v == null) {
                    d.set(col.tag(), col.vr());
                } else {
                    d.set(col.tag(), col.vr(), v);
                }
            }
        }
        if (level == QueryLevel.STUDY) {
            putCount(d, query, Tag.NumberOfStudyRelatedInstances, rs.getLong(columns.size() + 1));
            putCount(d, query, Tag.NumberOfStudyRelatedSeries, rs.getLong(columns.size() + 2));
        } else if (level == QueryLevel.SERIES) {
            putCount(d, query, Tag.NumberOfSeriesRelatedInstances, rs.getLong(columns.size() + 1));
        }
        return d;
    }

    private static void putCount(DicomDataset d, DicomDataset query, int tag, long n) {
        if (query.contains(tag)) {
            d.set(tag, VR.IS, Long.toString(n));
        }
    }
}
