package org.pacs.storage.security;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The SQL of the {@code audit_events} table (schema version 3): accesses to patient data. */
final class AccessEventRows {

    private AccessEventRows() {
    }

    static void append(Connection c, AccessEvent e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_events"
                + " (at, username, address, action, study_uid, outcome) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, e.at().toEpochMilli());
            ps.setString(2, e.username());
            ps.setString(3, e.address());
            ps.setString(4, e.action());
            ps.setString(5, e.studyUid());
            ps.setString(6, e.outcome());
            ps.executeUpdate();
        }
    }

    /** Oldest first; with a limit, the newest {@code limit} events. Filters are bound, never concatenated. */
    static List<AccessEvent> find(Connection c, AccessEventQuery q) throws SQLException {
        String sql = "SELECT seq, at, username, address, action, study_uid, outcome FROM audit_events"
                + " WHERE (? IS NULL OR username = ? COLLATE NOCASE) AND (? IS NULL OR study_uid = ?)"
                + " AND (? IS NULL OR at >= ?) ORDER BY seq DESC LIMIT ?";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, q.username());
            ps.setString(2, q.username());
            ps.setString(3, q.studyUid());
            ps.setString(4, q.studyUid());
            Long since = q.since() == null ? null : q.since().toEpochMilli();
            ps.setObject(5, since);
            ps.setObject(6, since);
            ps.setLong(7, q.limit() == 0 ? -1 : q.limit());
            List<AccessEvent> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AccessEvent(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3),
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
                }
            }
            Collections.reverse(out);
            return out;
        }
    }
}
