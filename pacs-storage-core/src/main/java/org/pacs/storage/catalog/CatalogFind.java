package org.pacs.storage.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.pacs.storage.QueryLevel;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomElement;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.query.IndexedAttribute;
import org.pacs.storage.query.IndexedAttributes;
import org.pacs.storage.query.QueryMatcher;

/**
 * find() with paging in bounded memory. {@link CatalogWhere} narrows the rows in SQL; the shared
 * {@link QueryMatcher} then applies the full PS3.4 semantics, so the catalog answers exactly like every other
 * backend.
 *
 * <p>Order: entities by their unique key (SOP Instance, Series or Study Instance UID, or Patient ID) in byte
 * order, which is the order {@link QueryMatcher#find} returns for ASCII keys; so a page is a slice of the
 * unpaged answer and pages are stable while the catalog does not change.
 *
 * <p>Two plans. When the SQL is exact (every key translated exactly, none on a derived attribute), the page is
 * cut in SQL: {@code LIMIT/OFFSET} over the matching entities, one representative row each (the lowest SOP
 * Instance UID, which is also the row the streaming plan would see first). Otherwise the matching rows stream in
 * entity order through the matcher, one entity at a time, until the page is full; only the page and one
 * entity's rows are held (a PostgreSQL cursor fetches {@value #FETCH_ROWS} rows at a time). Derived return keys (Number of Study Related Instances, Modalities in Study...) are
 * filled in afterwards from SQL aggregates over every instance of the page's studies and series, as C.6 asks;
 * a query with a derived <em>key</em> has its entities' whole studies loaded so the matcher can evaluate it.
 */
final class CatalogFind {

    private static final int IN_CHUNK = 500;
    private static final int FETCH_ROWS = 1_000;
    private static final String ROW_COLUMNS;

    static {
        StringBuilder b = new StringBuilder("sop_instance_uid, study_uid, series_uid, sop_class_uid");
        for (String col : CatalogAttributes.COLUMNS.values()) {
            b.append(", ").append(col);
        }
        ROW_COLUMNS = b.toString();
    }

    private CatalogFind() {
    }

    /**
     * The statement that selects a find's rows (a paged plan above IMAGE level: the page's representative SOP
     * Instance UIDs) and its parameters (Integer for LIMIT/OFFSET, else String).
     */
    record Plan(String sql, List<Object> params, boolean paged) {
    }

    /** Rejects a negative limit or offset with a message for the caller. */
    static void checkPage(int limit, int offset) {
        if (limit < 0 || offset < 0) {
            throw org.pacs.storage.StorageException.invalidInput("A find page needs limit >= 0 and offset >= 0, not"
                    + " limit " + limit + " and offset " + offset + ".");
        }
    }

    static List<DicomDataset> find(Connection c, SqlDialect dialect, DicomDataset query, QueryMatcher matcher,
                                   int limit, int offset) throws SQLException {
        if (limit == 0) {
            return List.of();
        }
        QueryLevel level = level(query);
        boolean derivedKeys = hasDerivedKeys(query);
        Plan plan = plan(dialect, query, matcher, limit, offset);
        List<DicomDataset> out = plan.paged() ? matcher.find(query, pagedRows(c, plan))
                : streamed(c, dialect, plan, query, matcher, level, derivedKeys, limit, offset);
        if (!derivedKeys && needsAggregates(query)) {
            fillAggregates(c, query, level, out);
        }
        return out;
    }

    static Plan plan(SqlDialect dialect, DicomDataset query, QueryMatcher matcher, int limit, int offset) {
        QueryLevel level = level(query);
        CatalogWhere.Where where = CatalogWhere.of(dialect, query, matcher);
        String sop = dialect.binary("sop_instance_uid");
        String entity = entityColumn(level);
        List<Object> params = new ArrayList<>(where.params());
        if (!where.exact()) {
            String order = level == QueryLevel.IMAGE ? sop : dialect.binary(entity) + ", " + sop;
            return new Plan("SELECT " + ROW_COLUMNS + " FROM instances WHERE " + where.sql() + " ORDER BY " + order,
                    params, false);
        }
        // the page's representatives first (from the date index alone where it covers them), their rows by
        // primary key next: two statements, but no plan that joins the page against a scan of the whole table
        params.clear();
        String from;
        String e;
        String s;
        if (where.branches().size() == 1) {
            from = "instances WHERE " + where.sql();
            params.addAll(where.params());
            e = entity;
            s = "sop_instance_uid";
        } else {
            StringBuilder union = new StringBuilder();
            for (CatalogWhere.Where branch : where.branches()) {
                union.append(union.isEmpty() ? "" : " UNION ALL ").append("SELECT ").append(entity)
                        .append(" AS entity, sop_instance_uid AS sop FROM instances WHERE ").append(branch.sql());
                params.addAll(branch.params());
            }
            from = "(" + union + ") t";
            e = "entity";
            s = "sop";
        }
        params.add(limit);
        params.add(offset);
        if (level == QueryLevel.IMAGE) {
            return new Plan("SELECT " + s + " FROM " + from + " ORDER BY " + dialect.binary(s) + " LIMIT ? OFFSET ?",
                    params, true);
        }
        return new Plan("SELECT MIN(" + dialect.binary(s) + ") FROM " + from + " GROUP BY " + e + " ORDER BY "
                + dialect.binary(e) + " LIMIT ? OFFSET ?", params, true);
    }

    /** EXPLAIN QUERY PLAN (SQLite) or EXPLAIN (PostgreSQL) of the statement a find runs, one line per row. */
    static String explain(Connection c, SqlDialect dialect, DicomDataset query, QueryMatcher matcher, int limit,
                          int offset) throws SQLException {
        Plan plan = plan(dialect, query, matcher, limit, offset);
        String explain = (dialect == SqlDialect.SQLITE ? "EXPLAIN QUERY PLAN " : "EXPLAIN ") + plan.sql();
        StringBuilder b = new StringBuilder();
        try (PreparedStatement ps = c.prepareStatement(explain)) {
            bind(ps, plan.params());
            try (ResultSet rs = ps.executeQuery()) {
                int cols = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    b.append(rs.getString(cols)).append('\n');
                }
            }
        }
        return b.toString();
    }

    /** The rows of the representatives a paged plan selects. */
    private static List<DicomDataset> pagedRows(Connection c, Plan plan) throws SQLException {
        List<Object> uids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(plan.sql())) {
            bind(ps, plan.params());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    uids.add(rs.getString(1));
                }
            }
        }
        List<DicomDataset> out = new ArrayList<>(uids.size());
        for (int i = 0; i < uids.size(); i += IN_CHUNK) {
            List<Object> chunk = uids.subList(i, Math.min(uids.size(), i + IN_CHUNK));
            out.addAll(rows(c, "SELECT " + ROW_COLUMNS + " FROM instances WHERE sop_instance_uid IN ("
                    + marks(chunk.size()) + ")", chunk));
        }
        return out;
    }

    private static QueryLevel level(DicomDataset query) {
        return QueryLevel.parse(query.getString(Tag.QueryRetrieveLevel).orElse(null));
    }

    private static String entityColumn(QueryLevel level) {
        return switch (level) {
            case PATIENT -> "COALESCE(PatientID, '')";
            case STUDY -> "study_uid";
            case SERIES -> "series_uid";
            case IMAGE -> "sop_instance_uid";
        };
    }

    /** Streams the rows of {@code plan} grouped by entity through the matcher until the page is full. */
    private static List<DicomDataset> streamed(Connection c, SqlDialect dialect, Plan plan, DicomDataset query,
                                               QueryMatcher matcher, QueryLevel level, boolean derivedKeys,
                                               int limit, int offset) throws SQLException {
        int entityTag = IndexedAttributes.uniqueKey(level);
        List<DicomDataset> out = new ArrayList<>();
        // PostgreSQL streams with a cursor only inside a transaction; SQLite steps through rows as read
        boolean ownTransaction = dialect == SqlDialect.POSTGRESQL && c.getAutoCommit();
        if (ownTransaction) {
            c.setAutoCommit(false);
        }
        try (PreparedStatement ps = c.prepareStatement(plan.sql())) {
            ps.setFetchSize(FETCH_ROWS);
            bind(ps, plan.params());
            try (ResultSet rs = ps.executeQuery()) {
                int matched = 0;
                List<DicomDataset> group = new ArrayList<>();
                String groupKey = null;
                while (out.size() < limit) {
                    DicomDataset row = rs.next() ? read(rs) : null;
                    String key = row == null ? null : row.getString(entityTag, "");
                    if (groupKey != null && !groupKey.equals(key)) {
                        List<DicomDataset> rows = derivedKeys ? wholeStudies(c, group) : group;
                        for (DicomDataset r : matcher.find(query, rows)) {
                            if (groupKey.equals(r.getString(entityTag, "")) && matched++ >= offset
                                    && out.size() < limit) {
                                out.add(r);
                            }
                        }
                        group = new ArrayList<>();
                    }
                    if (row == null) {
                        break;
                    }
                    groupKey = key;
                    group.add(row);
                }
            }
        } finally {
            if (ownTransaction) {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
        return out;
    }

    /** Every instance of the studies {@code rows} belong to (aggregates are over whole studies). */
    private static List<DicomDataset> wholeStudies(Connection c, List<DicomDataset> rows) throws SQLException {
        Set<String> studies = new LinkedHashSet<>();
        rows.forEach(r -> studies.add(r.getString(Tag.StudyInstanceUID, "")));
        List<DicomDataset> out = new ArrayList<>();
        List<String> all = new ArrayList<>(studies);
        for (int i = 0; i < all.size(); i += IN_CHUNK) {
            List<String> chunk = all.subList(i, Math.min(all.size(), i + IN_CHUNK));
            out.addAll(rows(c, "SELECT " + ROW_COLUMNS + " FROM instances WHERE migration_state <> 'REMOVING'"
                    + " AND study_uid IN (" + marks(chunk.size()) + ")", new ArrayList<>(chunk)));
        }
        return out;
    }

    /**
     * Replaces the derived attributes of {@code results} (which the matcher computed from the rows it saw) with
     * the values over every instance of each result's study and series; the matcher's rules for levels hold: an
     * attribute of a lower level than the query's stays empty.
     */
    private static void fillAggregates(Connection c, DicomDataset query, QueryLevel level, List<DicomDataset> results)
            throws SQLException {
        List<IndexedAttribute> derived = new ArrayList<>();
        for (DicomElement e : query.elements()) {
            IndexedAttributes.byTag(e.tag()).filter(IndexedAttribute::derived)
                    .filter(a -> a.level().ordinal() <= level.ordinal()).ifPresent(derived::add);
        }
        if (derived.isEmpty() || results.isEmpty()) {
            return;
        }
        Set<String> studies = new LinkedHashSet<>();
        results.forEach(r -> r.getString(Tag.StudyInstanceUID).ifPresent(studies::add));
        // one pass per chunk of studies: instances per (study, series, modality) give every derived value
        Map<String, long[]> studyCounts = new HashMap<>(); // instances, series
        Map<String, Set<String>> modalities = new HashMap<>();
        Map<String, Long> seriesCounts = new HashMap<>();
        List<String> st = new ArrayList<>(studies);
        for (int i = 0; i < st.size(); i += IN_CHUNK) {
            List<String> chunk = st.subList(i, Math.min(st.size(), i + IN_CHUNK));
            try (PreparedStatement ps = c.prepareStatement("SELECT study_uid, series_uid, Modality, COUNT(*)"
                    + " FROM instances WHERE migration_state <> 'REMOVING' AND study_uid IN (" + marks(chunk.size())
                    + ") GROUP BY study_uid, series_uid, Modality")) {
                bind(ps, new ArrayList<>(chunk));
                try (ResultSet rs = ps.executeQuery()) {
                    Map<String, Set<String>> seriesOfStudy = new HashMap<>();
                    while (rs.next()) {
                        String study = rs.getString(1);
                        String ser = rs.getString(2);
                        String modality = rs.getString(3);
                        long n = rs.getLong(4);
                        studyCounts.computeIfAbsent(study, k -> new long[2])[0] += n;
                        if (seriesOfStudy.computeIfAbsent(study, k -> new java.util.HashSet<>()).add(ser)) {
                            studyCounts.get(study)[1]++;
                        }
                        seriesCounts.merge(ser, n, Long::sum);
                        if (modality != null) {
                            // the matcher reads an instance's first Modality value
                            String first = modality.split("\\\\", -1)[0].strip();
                            if (!first.isEmpty()) {
                                modalities.computeIfAbsent(study, k -> new TreeSet<>()).add(first);
                            }
                        }
                    }
                }
            }
        }
        for (DicomDataset r : results) {
            String study = r.getString(Tag.StudyInstanceUID, "");
            String ser = r.getString(Tag.SeriesInstanceUID, "");
            long[] sc = studyCounts.getOrDefault(study, new long[2]);
            for (IndexedAttribute a : derived) {
                List<String> v = switch (a.tag()) {
                    case Tag.ModalitiesInStudy -> List.copyOf(modalities.getOrDefault(study, Set.of()));
                    case Tag.NumberOfStudyRelatedSeries -> count(sc[1]);
                    case Tag.NumberOfStudyRelatedInstances -> count(sc[0]);
                    case Tag.NumberOfSeriesRelatedInstances -> count(seriesCounts.getOrDefault(ser, 0L));
                    default -> r.getStrings(a.tag());
                };
                r.put(DicomElement.ofStrings(a.tag(), a.vr(), v));
            }
        }
    }

    private static List<String> count(long n) {
        return n == 0 ? List.of() : List.of(Long.toString(n));
    }

    private static List<DicomDataset> rows(Connection c, String sql, List<Object> params) throws SQLException {
        List<DicomDataset> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
        }
        return out;
    }

    /** One row of {@link #ROW_COLUMNS} as the matcher reads an instance. */
    private static DicomDataset read(ResultSet rs) throws SQLException {
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
        return d;
    }

    static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof Integer n) {
                ps.setLong(i + 1, n);
            } else {
                ps.setString(i + 1, (String) p);
            }
        }
    }

    private static String marks(int n) {
        return "?, ".repeat(n - 1) + "?";
    }

    private static boolean needsAggregates(DicomDataset query) {
        for (DicomElement e : query.elements()) {
            if (IndexedAttributes.byTag(e.tag()).map(IndexedAttribute::derived).orElse(false)) {
                return true;
            }
        }
        return false;
    }

    /** A derived attribute with a value to match (not only asked for). */
    private static boolean hasDerivedKeys(DicomDataset query) {
        for (DicomElement e : query.elements()) {
            boolean derived = IndexedAttributes.byTag(e.tag()).map(IndexedAttribute::derived).orElse(false);
            if (derived && e.vr().isString() && !CatalogWhere.values(e).isEmpty()) {
                return true;
            }
        }
        return false;
    }
}
