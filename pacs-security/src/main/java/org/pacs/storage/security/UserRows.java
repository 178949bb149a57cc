package org.pacs.storage.security;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;

/**
 * The SQL for users, roles and audit rows. Each read is a single statement (users joined to their roles),
 * so it sees one consistent snapshot without an explicit transaction.
 */
final class UserRows {

    private UserRows() {
    }

    static Optional<User> byId(Connection c, Path db, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT u.id, u.username, u.active, u.created_at, u.updated_at, r.role
                FROM users u LEFT JOIN user_roles r ON r.user_id = u.id
                WHERE u.id = ?""")) {
            ps.setString(1, id);
            return first(read(ps, db));
        }
    }

    static Optional<User> byUsername(Connection c, Path db, String username) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT u.id, u.username, u.active, u.created_at, u.updated_at, r.role
                FROM users u LEFT JOIN user_roles r ON r.user_id = u.id
                WHERE u.username = ? COLLATE NOCASE""")) {
            ps.setString(1, username);
            return first(read(ps, db));
        }
    }

    static List<User> byRole(Connection c, Path db, Role role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT u.id, u.username, u.active, u.created_at, u.updated_at, r.role
                FROM users u LEFT JOIN user_roles r ON r.user_id = u.id
                WHERE u.id IN (SELECT user_id FROM user_roles WHERE role = ?)
                ORDER BY u.username COLLATE NOCASE, u.id""")) {
            ps.setString(1, role.name());
            return read(ps, db);
        }
    }

    static List<User> all(Connection c, Path db) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT u.id, u.username, u.active, u.created_at, u.updated_at, r.role
                FROM users u LEFT JOIN user_roles r ON r.user_id = u.id
                ORDER BY u.username COLLATE NOCASE, u.id""")) {
            return read(ps, db);
        }
    }

    /** The stored credential of an active user; empty alike for a missing, an inactive and a password-less one. */
    static Optional<String> activeCredential(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT active, credential FROM users WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getInt(1) == 0) {
                    return Optional.empty();
                }
                return Optional.ofNullable(rs.getString(2));
            }
        }
    }

    static void insert(Connection c, User user, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO users (id, username, active, created_at, updated_at, credential)
                VALUES (?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, user.id());
            ps.setString(2, user.username());
            ps.setInt(3, user.active() ? 1 : 0);
            ps.setLong(4, now.toEpochMilli());
            ps.setLong(5, now.toEpochMilli());
            ps.setString(6, user.credential() == null ? null : user.credential().encoded());
            ps.executeUpdate();
        }
        insertRoles(c, user);
    }

    /** Returns false if no user has {@code user.id()}. */
    static boolean update(Connection c, User user, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE users SET username = ?, active = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, user.username());
            ps.setInt(2, user.active() ? 1 : 0);
            ps.setLong(3, now.toEpochMilli());
            ps.setString(4, user.id());
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM user_roles WHERE user_id = ?")) {
            ps.setString(1, user.id());
            ps.executeUpdate();
        }
        insertRoles(c, user);
        return true;
    }

    /** Sets (or with {@code null} clears) the credential; returns false if no such user. */
    static boolean setCredential(Connection c, String id, String encoded, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE users SET credential = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, encoded);
            ps.setLong(2, now.toEpochMilli());
            ps.setString(3, id);
            return ps.executeUpdate() > 0;
        }
    }

    /** Replaces the credential only if it is still {@code expected}, so an upgrade never undoes a new password. */
    static boolean replaceCredential(Connection c, String id, String expected, String encoded) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE users SET credential = ? WHERE id = ? AND credential = ?")) {
            ps.setString(1, encoded);
            ps.setString(2, id);
            ps.setString(3, expected);
            return ps.executeUpdate() > 0;
        }
    }

    /** Roles go with the row through ON DELETE CASCADE. */
    static boolean delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() > 0;
        }
    }

    private static void insertRoles(Connection c, User user) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO user_roles (user_id, role) VALUES (?, ?)")) {
            for (Role role : user.roles()) {
                ps.setString(1, user.id());
                ps.setString(2, role.name());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Optional<User> first(List<User> users) {
        return users.isEmpty() ? Optional.empty() : Optional.of(users.get(0));
    }

    /** Folds the one-row-per-role join back into users, keeping the query's order. */
    private static List<User> read(PreparedStatement ps, Path db) throws SQLException {
        Map<String, User> users = new LinkedHashMap<>();
        Map<String, EnumSet<Role>> roles = new LinkedHashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String id = rs.getString(1);
                if (!users.containsKey(id)) {
                    users.put(id, toUser(db, id, rs));
                    roles.put(id, EnumSet.noneOf(Role.class));
                }
                String role = rs.getString(6);
                if (role != null) {
                    roles.get(id).add(storedRole(db, id, role));
                }
            }
        }
        List<User> result = new ArrayList<>(users.size());
        users.forEach((id, user) -> result.add(user.withRoles(roles.get(id))));
        return result;
    }

    private static User toUser(Path db, String id, ResultSet rs) throws SQLException {
        try {
            return new User(id, rs.getString(2), EnumSet.noneOf(Role.class), rs.getInt(3) != 0,
                    Instant.ofEpochMilli(rs.getLong(4)), Instant.ofEpochMilli(rs.getLong(5)), null);
        } catch (StorageException e) {
            throw new StorageException(Reason.CORRUPT, "The stored user " + Identifiers.quote(id) + " in " + db
                    + " breaks today's rules (" + e.getMessage() + "); fix its row with sqlite3.", e);
        }
    }

    private static Role storedRole(Path db, String id, String role) {
        try {
            return Role.parse(role);
        } catch (StorageException e) {
            throw new StorageException(Reason.CORRUPT, "User " + Identifiers.quote(id) + " in " + db
                    + " has the unknown role " + Identifiers.quote(role) + "; fix its row with sqlite3.", e);
        }
    }
}
