package org.pacs.storage.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pacs.storage.security.SqliteSecurityStorageTest.assertReason;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.StorageException.Reason;

class SchemaTest {

    /** Exactly what the first release wrote: no passwords, no audit log, roles not cascaded. */
    private static final String[] V1_SCHEMA = {
        "CREATE TABLE users (\n    id         TEXT    PRIMARY KEY NOT NULL,\n    username   TEXT    NOT NULL UNIQUE,\n"
                + "    active     INTEGER NOT NULL DEFAULT 1,\n    created_at INTEGER NOT NULL,\n"
                + "    updated_at INTEGER NOT NULL\n)",
        "CREATE TABLE user_roles (\n    user_id TEXT NOT NULL REFERENCES users (id),\n    role    TEXT NOT NULL,\n"
                + "    PRIMARY KEY (user_id, role)\n)",
        "PRAGMA user_version = 1",
    };

    @TempDir
    Path dir;

    private Path v1Database(String... rows) throws Exception {
        Path db = dir.resolve("old.db");
        TestDb.execute(db, V1_SCHEMA);
        TestDb.execute(db, rows);
        return db;
    }

    @Test
    void version1IsMigratedOnOpenKeepingItsData() throws Exception {
        Path db = v1Database(
                "INSERT INTO users VALUES ('u1', 'alice', 1, 1000, 2000)",
                "INSERT INTO users VALUES ('u2', 'bob', 0, 3000, 3000)",
                "INSERT INTO user_roles VALUES ('u1', 'ADMINISTRATOR'), ('u1', 'VIEWER'), ('u2', 'VIEWER')",
                "INSERT INTO user_roles VALUES ('gone', 'VIEWER')"); // orphan: v1 did not enforce the key
        try (SqliteSecurityStorage storage = new SqliteSecurityStorage(db)) {
            User alice = storage.getUser("u1");
            assertThat(alice.roles()).containsExactly(Role.VIEWER, Role.ADMINISTRATOR);
            assertThat(alice.createdAt().toEpochMilli()).isEqualTo(1000);
            assertThat(storage.getUser("u2").active()).isFalse();
            storage.setPassword("admin", "u2", "a-long-password".toCharArray());
            storage.deleteUser("admin", "u1");
            assertThat(TestDb.count(db, "user_roles")).as("cascade works after migration").isEqualTo(1);
            assertThat(storage.auditLog()).hasSize(2);
            assertReason(() -> storage.createUser(User.of("u3", "BOB")), Reason.ALREADY_EXISTS, "taken");
        }
        assertThat(TestDb.queryLong(db, "PRAGMA user_version")).isEqualTo(SqliteSchema.CURRENT_VERSION);

        Path fresh = dir.resolve("fresh.db");
        new SqliteSecurityStorage(fresh).close();
        assertThat(TestDb.schema(db)).as("migrated schema equals a fresh one").isEqualTo(TestDb.schema(fresh));
        assertThat(TestDb.schema(fresh)).containsKeys("table:users", "table:user_roles", "table:audit_log")
                .hasEntrySatisfying("table:user_roles", sql -> assertThat(sql).contains("ON DELETE CASCADE"));
    }

    @Test
    void migrationThatWouldBreakARuleLeavesTheFileUnchanged() throws Exception {
        Path db = v1Database(
                "INSERT INTO users VALUES ('u1', 'alice', 1, 1000, 2000)",
                "INSERT INTO users VALUES ('u2', 'ALICE', 1, 1000, 2000)");
        Map<String, String> before = TestDb.schema(db);
        assertReason(() -> new SqliteSecurityStorage(db), Reason.CORRUPT,
                "Cannot upgrade security database " + db.toAbsolutePath() + " to schema version 2");
        assertThat(TestDb.schema(db)).isEqualTo(before);
        assertThat(TestDb.queryLong(db, "PRAGMA user_version")).isEqualTo(1);
        assertThat(TestDb.count(db, "users")).isEqualTo(2);

        Path badRole = dir.resolve("role.db");
        TestDb.execute(badRole, V1_SCHEMA);
        TestDb.execute(badRole, "INSERT INTO users VALUES ('u1', 'alice', 1, 1000, 2000)",
                "INSERT INTO user_roles VALUES ('u1', 'SUPERUSER')");
        assertReason(() -> new SqliteSecurityStorage(badRole), Reason.CORRUPT, "unknown role names");
    }

    @Test
    void newerSchemaIsRefused() throws Exception {
        Path db = dir.resolve("new.db");
        new SqliteSecurityStorage(db).close();
        TestDb.execute(db, "PRAGMA user_version = 9");
        assertReason(() -> new SqliteSecurityStorage(db), Reason.INVALID_INPUT,
                "has schema version 9, written by a newer pacs-storage");
    }

    @Test
    void someOtherSqliteDatabaseIsRefusedAndLeftAlone() throws Exception {
        Path db = dir.resolve("catalog.db");
        TestDb.execute(db, "CREATE TABLE instances (uid TEXT)");
        assertReason(() -> new SqliteSecurityStorage(db), Reason.INVALID_INPUT,
                "is a SQLite database but not a pacs security database (it holds tables [instances])");
        assertThat(TestDb.schema(db)).containsOnlyKeys("table:instances");
    }

    @Test
    void aFileThatIsNotSqliteIsRefusedAndLeftAlone() throws Exception {
        Path db = dir.resolve("notes.txt");
        byte[] text = "these are my notes, not a database\n".repeat(200).getBytes(StandardCharsets.US_ASCII);
        Files.write(db, text);
        assertReason(() -> new SqliteSecurityStorage(db), Reason.INVALID_INPUT,
                "The file " + db.toAbsolutePath() + " is not a SQLite database");
        assertThat(Files.readAllBytes(db)).isEqualTo(text);
    }

    @Test
    void aCorruptDatabaseIsReportedWithWhatToDo() throws Exception {
        Path db = dir.resolve("broken.db");
        try (SqliteSecurityStorage storage = new SqliteSecurityStorage(db)) {
            for (int i = 0; i < 200; i++) {
                storage.createUser(User.of("id-" + i, "user" + i, Role.VIEWER));
            }
        }
        assertThat(Files.size(db)).isGreaterThan(4 * 4096L);
        try (RandomAccessFile file = new RandomAccessFile(db.toFile(), "rw")) {
            byte[] garbage = new byte[4096];
            Arrays.fill(garbage, (byte) 0x5A);
            for (long page = 1; page * 4096 < file.length(); page++) {
                file.seek(page * 4096);
                file.write(garbage, 0, 64); // smash every page header after the first
            }
        }
        assertReason(() -> new SqliteSecurityStorage(db), Reason.CORRUPT,
                "The security database " + db.toAbsolutePath() + " is corrupt; restore it from a backup");
    }

    @Test
    void aDirectoryIsNotADatabase() {
        assertReason(() -> new SqliteSecurityStorage(dir), Reason.INVALID_INPUT, "is a directory; give a file path");
    }
}
