package org.pacs.storage.security;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Raw JDBC access for tests, to look at the file behind the storage's back. */
final class TestDb {

    private TestDb() {
    }

    static Connection connect(Path db) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
    }

    static long count(Path db, String table) throws SQLException {
        // Table names come from a fixed list in the tests; a bound parameter cannot name a table.
        String sql = switch (table) {
            case "users" -> "SELECT count(*) FROM users";
            case "user_roles" -> "SELECT count(*) FROM user_roles";
            case "audit_log" -> "SELECT count(*) FROM audit_log";
            default -> throw new IllegalArgumentException(table);
        };
        return queryLong(db, sql);
    }

    static long queryLong(Path db, String sql, Object... args) throws SQLException {
        try (Connection c = connect(db); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static List<String> strings(Path db, String sql, Object... args) throws SQLException {
        try (Connection c = connect(db); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }

    static int update(Path db, String sql, Object... args) throws SQLException {
        try (Connection c = connect(db); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    static void execute(Path db, String... statements) throws SQLException {
        try (Connection c = connect(db)) {
            for (String sql : statements) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.execute();
                }
            }
        }
    }

    /** type/name → sql of every schema object, to prove nothing was added, dropped or altered. */
    static Map<String, String> schema(Path db) throws SQLException {
        Map<String, String> schema = new TreeMap<>();
        try (Connection c = connect(db);
             PreparedStatement ps = c.prepareStatement("SELECT type, name, sql FROM sqlite_master");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                schema.put(rs.getString(1) + ":" + rs.getString(2), String.valueOf(rs.getString(3)));
            }
        }
        return schema;
    }

    /** A clock tests move by hand. */
    static final class ManualClock extends Clock {
        private volatile Instant now;

        ManualClock(Instant start) {
            this.now = start;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException("tests use UTC");
        }
    }
}
