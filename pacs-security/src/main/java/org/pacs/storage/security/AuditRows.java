package org.pacs.storage.security;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;

/** The audit log's SQL. Entries are written inside the transaction of the change they describe. */
final class AuditRows {

    private AuditRows() {
    }

    static void append(Connection c, Instant at, String actorId, AuditAction action, String userId, String detail)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO audit_log (at, actor_id, action, user_id, detail) VALUES (?, ?, ?, ?, ?)")) {
            ps.setLong(1, at.toEpochMilli());
            ps.setString(2, actorId);
            ps.setString(3, action.name());
            ps.setString(4, userId);
            ps.setString(5, detail);
            ps.executeUpdate();
        }
    }

    static List<AuditEntry> all(Connection c, Path db) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT seq, at, actor_id, action, user_id, detail FROM audit_log ORDER BY seq")) {
            return read(ps, db);
        }
    }

    static List<AuditEntry> forUser(Connection c, Path db, String userId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT seq, at, actor_id, action, user_id, detail FROM audit_log WHERE user_id = ? ORDER BY seq")) {
            ps.setString(1, userId);
            return read(ps, db);
        }
    }

    private static List<AuditEntry> read(PreparedStatement ps, Path db) throws SQLException {
        List<AuditEntry> entries = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                long seq = rs.getLong(1);
                AuditAction action;
                try {
                    action = AuditAction.valueOf(rs.getString(4));
                } catch (IllegalArgumentException | NullPointerException e) {
                    throw new StorageException(Reason.CORRUPT, "Audit entry " + seq + " in " + db
                            + " has an unknown action; the audit log was edited outside pacs-storage.", e);
                }
                entries.add(new AuditEntry(seq, Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), action,
                        rs.getString(5), rs.getString(6)));
            }
        }
        return entries;
    }
}
