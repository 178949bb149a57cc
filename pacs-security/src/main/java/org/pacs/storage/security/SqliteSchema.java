package org.pacs.storage.security;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;

/**
 * Creates and upgrades the schema, tracked in {@code PRAGMA user_version}.
 *
 * <p>A new file is built by running every migration from version 0, so a fresh database and an upgraded one
 * end up with the same schema text. Each migration runs inside {@code BEGIN IMMEDIATE}, and the version is
 * read again inside it, so two processes opening the same new file cannot both migrate it.
 */
final class SqliteSchema {

    static final int CURRENT_VERSION = 3;

    /** Version 1, as shipped by the first release: no passwords, no audit, roles not cascaded. */
    private static final String[] TO_V1 = {
        """
        CREATE TABLE users (
            id         TEXT    PRIMARY KEY NOT NULL,
            username   TEXT    NOT NULL UNIQUE,
            active     INTEGER NOT NULL DEFAULT 1,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        )""",
        """
        CREATE TABLE user_roles (
            user_id TEXT NOT NULL REFERENCES users (id),
            role    TEXT NOT NULL,
            PRIMARY KEY (user_id, role)
        )""",
        "PRAGMA user_version = 1",
    };

    /**
     * Version 2: passwords, case-insensitive unique usernames (so "Admin" cannot impersonate "admin"), roles
     * deleted with their user, only known role names, and the audit log. SQLite cannot alter a foreign key,
     * hence the copy of user_roles. Orphaned role rows, possible in version 1, are dropped: they belong to
     * nobody.
     */
    private static final String[] TO_V2 = {
        "ALTER TABLE users ADD COLUMN credential TEXT",
        "CREATE UNIQUE INDEX users_username_nocase ON users (username COLLATE NOCASE)",
        """
        CREATE TABLE user_roles_v2 (
            user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE ON UPDATE CASCADE,
            role    TEXT NOT NULL
                    CHECK (role IN ('VIEWER', 'TECHNOLOGIST', 'RADIOLOGIST', 'ADMINISTRATOR', 'SYSTEM')),
            PRIMARY KEY (user_id, role)
        ) WITHOUT ROWID""",
        """
        INSERT INTO user_roles_v2 (user_id, role)
            SELECT user_id, role FROM user_roles WHERE user_id IN (SELECT id FROM users)""",
        "DROP TABLE user_roles",
        "ALTER TABLE user_roles_v2 RENAME TO user_roles",
        "CREATE INDEX user_roles_by_role ON user_roles (role, user_id)",
        """
        CREATE TABLE audit_log (
            seq      INTEGER PRIMARY KEY AUTOINCREMENT,
            at       INTEGER NOT NULL,
            actor_id TEXT    NOT NULL,
            action   TEXT    NOT NULL,
            user_id  TEXT    NOT NULL,
            detail   TEXT    NOT NULL
        )""",
        "CREATE INDEX audit_log_by_user ON audit_log (user_id, seq)",
        "PRAGMA user_version = 2",
    };

    /**
     * Version 3: accesses to patient data through the network services (DICOMweb): one row per store, read or
     * delete, kept apart from audit_log, which records changes to users.
     */
    private static final String[] TO_V3 = {
        """
        CREATE TABLE audit_events (
            seq       INTEGER PRIMARY KEY AUTOINCREMENT,
            at        INTEGER NOT NULL,
            username  TEXT    NOT NULL,
            address   TEXT    NOT NULL,
            action    TEXT    NOT NULL,
            study_uid TEXT    NOT NULL,
            outcome   TEXT    NOT NULL
        )""",
        "CREATE INDEX audit_events_by_user ON audit_events (username COLLATE NOCASE, seq)",
        "CREATE INDEX audit_events_by_study ON audit_events (study_uid, seq)",
        "CREATE INDEX audit_events_by_time ON audit_events (at)",
        "PRAGMA user_version = 3",
    };

    private static final String[][] MIGRATIONS = {TO_V1, TO_V2, TO_V3};

    private SqliteSchema() {
    }

    /** Brings the database to {@link #CURRENT_VERSION}, or explains why it cannot. */
    static void prepare(Connection c, Path db) throws SQLException {
        requireIntact(c, db);
        int version = userVersion(c);
        if (version == CURRENT_VERSION) {
            requireTables(c, db);
            return;
        }
        requireKnown(c, db, version);
        SqliteTx.immediate(c, tx -> {
            int current = userVersion(tx); // another process may have migrated while we waited for the lock
            requireKnown(tx, db, current);
            for (int next = current + 1; next <= CURRENT_VERSION; next++) {
                migrate(tx, db, next);
            }
            return null;
        });
        requireTables(c, db);
    }

    private static void migrate(Connection c, Path db, int toVersion) {
        try {
            for (String sql : MIGRATIONS[toVersion - 1]) {
                run(c, sql);
            }
        } catch (SQLException e) {
            if (SqliteErrors.isConstraintViolation(e)) { // old data breaks a rule the new version adds
                throw new StorageException(Reason.CORRUPT, "Cannot upgrade security database " + db
                        + " to schema version " + toVersion + ": existing rows break a new rule ("
                        + e.getMessage() + "). The file is unchanged; fix those rows with sqlite3 (usernames"
                        + " differing only in case, unknown role names) or restore a backup, then retry.", e);
            }
            throw SqliteErrors.map(e, db, "upgrading the schema to version " + toVersion);
        }
    }

    /** quick_check reads every page, so damage is reported at open instead of mid-operation. */
    private static void requireIntact(Connection c, Path db) throws SQLException {
        List<String> problems = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("PRAGMA quick_check");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                problems.add(rs.getString(1));
            }
        }
        if (!problems.equals(List.of("ok"))) {
            throw SqliteErrors.corrupt(db, new SQLException("quick_check: " + problems));
        }
    }

    private static void requireKnown(Connection c, Path db, int version) throws SQLException {
        if (version > CURRENT_VERSION) {
            throw new StorageException(Reason.INVALID_INPUT, "The security database " + db + " has schema"
                    + " version " + version + ", written by a newer pacs-storage (this one knows up to "
                    + CURRENT_VERSION + "); use that newer release, or restore a backup made by this one.");
        }
        if (version == 0 && !tables(c).isEmpty()) {
            throw new StorageException(Reason.INVALID_INPUT, "The file " + db + " is a SQLite database but not"
                    + " a pacs security database (it holds tables " + tables(c) + "); point the security"
                    + " database setting at another file, or move this one away.");
        }
    }

    private static void requireTables(Connection c, Path db) throws SQLException {
        List<String> found = tables(c);
        if (!found.containsAll(List.of("users", "user_roles", "audit_log", "audit_events"))) {
            throw SqliteErrors.corrupt(db, new SQLException("schema version " + CURRENT_VERSION
                    + " but tables are " + found));
        }
    }

    static int userVersion(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("PRAGMA user_version");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    static List<String> tables(Connection c) throws SQLException {
        List<String> names = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    static void run(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
    }
}
