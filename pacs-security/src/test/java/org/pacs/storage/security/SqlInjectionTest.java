package org.pacs.storage.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;

/**
 * Classic injection payloads as ids, usernames, actor ids and role names. Each must be stored and read back
 * verbatim, or refused with INVALID_INPUT by the rules, and the database must look exactly as expected after.
 */
class SqlInjectionTest {

    static final List<String> PAYLOADS = List.of(
            "' OR '1'='1",
            "' OR 1=1 --",
            "\" OR \"\"=\"",
            "admin'--",
            "admin' #",
            "admin'/*",
            "'; DROP TABLE users; --",
            "'; DELETE FROM user_roles; --",
            "1; DROP TABLE audit_log",
            "Robert'); DROP TABLE users;--",
            "' UNION SELECT id, username, active, created_at, updated_at, credential FROM users --",
            "' AND 1=0 UNION ALL SELECT sqlite_version(), 2, 3, 4, 5, 6 --",
            "'); INSERT INTO users VALUES ('x', 'evil', 1, 0, 0, NULL); --",
            "') OR ('a'='a",
            "`; DROP TABLE users; --",
            "\\'; DROP TABLE users; --",
            "%' OR '%'='",
            "%",
            "_",
            "*",
            "'||(SELECT credential FROM users LIMIT 1)||'",
            "' AND (SELECT count(*) FROM sqlite_master) > 0 --",
            "'; ATTACH DATABASE 'pwn.db' AS pwn; CREATE TABLE pwn.x(y); --",
            "'; PRAGMA writable_schema = 1; --",
            "'; UPDATE users SET active = 0; --",
            "' OR EXISTS(SELECT 1 FROM users) --",
            "1' ORDER BY 1 --",
            "' GROUP BY id HAVING 1=1 --",
            "'; VACUUM; --",
            "' OR randomblob(100000000) --",
            "'; SELECT load_extension('x'); --",
            "NULL",
            "?",
            "?1; ?2",
            ":name",
            "@p",
            "$1",
            "'''",
            "0x27",
            "%27%20OR%201%3D1",
            "char(39)||char(39)",
            "/* comment */ SELECT 1",
            "UNION.SELECT",
            "DROP_TABLE-users",
            "SELECT.FROM.users",
            "admin@x.org--",
            "ADMIN' OR 'A'='A' COLLATE NOCASE --",
            "ü'; DROP TABLE users; -- 😀");

    @TempDir
    Path dir;
    Path db;
    SqliteSecurityStorage storage;
    Map<String, String> schema;

    @BeforeEach
    void open() throws Exception {
        db = dir.resolve("security.db");
        storage = new SqliteSecurityStorage(db);
        storage.createUser(User.of("sentinel", "sentinel", Role.ADMINISTRATOR));
        schema = TestDb.schema(db);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void payloadsAsIdsAndActorsAreStoredVerbatim() throws Exception {
        assertThat(PAYLOADS).hasSizeGreaterThanOrEqualTo(30).doesNotHaveDuplicates();
        for (int i = 0; i < PAYLOADS.size(); i++) {
            String payload = PAYLOADS.get(i);
            User created = storage.createUser(payload, User.of(payload, "user" + i, Role.VIEWER));
            assertThat(storage.getUser(payload)).isEqualTo(created).extracting(User::id).isEqualTo(payload);
            storage.updateUser(payload, created.withRoles(List.of(Role.VIEWER, Role.TECHNOLOGIST)));
            assertThat(storage.auditLog(payload)).extracting(AuditEntry::actorId, AuditEntry::userId)
                    .containsOnly(org.assertj.core.groups.Tuple.tuple(payload, payload));
        }
        assertThat(storage.getUsersByRole(Role.TECHNOLOGIST)).extracting(User::id)
                .containsExactlyInAnyOrderElementsOf(PAYLOADS);
        for (int i = 0; i < PAYLOADS.size(); i += 2) {
            storage.deleteUser(PAYLOADS.get(i), PAYLOADS.get(i));
            assertThat(storage.getUser("sentinel").roles()).containsExactly(Role.ADMINISTRATOR);
        }
        int kept = PAYLOADS.size() / 2;
        assertIntact(1 + kept, 1 + 2 * kept, 1 + 2 * PAYLOADS.size() + (PAYLOADS.size() + 1) / 2);
        for (int i = 1; i < PAYLOADS.size(); i += 2) {
            assertThat(storage.getUser(PAYLOADS.get(i)).roles()).containsExactly(Role.VIEWER, Role.TECHNOLOGIST);
        }
        assertThat(TestDb.strings(db, "SELECT id FROM users WHERE id = ?", PAYLOADS.get(1)))
                .containsExactly(PAYLOADS.get(1));
    }

    @Test
    void payloadsAsUsernamesAreStoredVerbatimOrRefusedByTheRules() throws Exception {
        List<String> stored = new ArrayList<>();
        for (int i = 0; i < PAYLOADS.size(); i++) {
            String payload = PAYLOADS.get(i);
            StorageException refused = catchThrowableOfType(StorageException.class,
                    () -> storage.createUser(User.of("id" + stored.size(), payload, Role.VIEWER)));
            if (refused == null) {
                assertThat(storage.getUserByUsername(payload).username()).isEqualTo(payload);
                stored.add(payload);
            } else {
                assertThat(refused.reason()).isEqualTo(Reason.INVALID_INPUT);
                assertThat(refused.getMessage()).startsWith("Username ").contains("use 3 to 64 characters from");
                assertThat(catchThrowableOfType(StorageException.class, () -> storage.getUserByUsername(payload))
                        .reason()).isEqualTo(Reason.INVALID_INPUT);
                assertThat(catchThrowableOfType(StorageException.class,
                        () -> storage.authenticate(payload, "whatever-pass".toCharArray())).reason())
                        .isEqualTo(Reason.INVALID_INPUT);
            }
        }
        assertThat(stored).containsExactly("NULL", "0x27", "UNION.SELECT", "DROP_TABLE-users",
                "SELECT.FROM.users", "admin@x.org--");
        // Renaming to a payload goes through the same rules.
        User victim = storage.getUserByUsername("NULL");
        for (String payload : PAYLOADS) {
            if (!stored.contains(payload)) {
                assertThat(catchThrowableOfType(StorageException.class, () -> victim.withUsername(payload)).reason())
                        .isEqualTo(Reason.INVALID_INPUT);
            }
        }
        assertIntact(1 + stored.size(), 1 + stored.size(), 1 + stored.size());
    }

    @Test
    void payloadsAsRoleNamesAreRefusedBeforeTheDatabase() throws Exception {
        for (String payload : PAYLOADS) {
            StorageException e = catchThrowableOfType(StorageException.class, () -> Role.parse(payload));
            assertThat(e.reason()).as(payload).isEqualTo(Reason.INVALID_INPUT);
            assertThat(e.getMessage()).startsWith("Unknown role '").endsWith("; use one of [VIEWER, TECHNOLOGIST,"
                    + " RADIOLOGIST, ADMINISTRATOR, SYSTEM].");
        }
        // Even written behind the storage's back, an unknown role name cannot enter the table.
        for (String payload : PAYLOADS.subList(0, 5)) {
            assertThat(catchThrowableOfType(java.sql.SQLException.class, () -> TestDb.update(db,
                    "INSERT INTO user_roles (user_id, role) VALUES ('sentinel', ?)", payload))
                    .getMessage()).contains("CHECK constraint failed");
        }
        assertIntact(1, 1, 1);
    }

    private void assertIntact(long users, long roles, long audits) throws Exception {
        assertThat(TestDb.schema(db)).as("schema unchanged").isEqualTo(schema);
        assertThat(TestDb.count(db, "users")).isEqualTo(users);
        assertThat(TestDb.count(db, "user_roles")).isEqualTo(roles);
        assertThat(TestDb.count(db, "audit_log")).isEqualTo(audits);
        assertThat(storage.getUser("sentinel")).satisfies(u -> {
            assertThat(u.username()).isEqualTo("sentinel");
            assertThat(u.roles()).containsExactly(Role.ADMINISTRATOR);
            assertThat(u.active()).isTrue();
        });
        assertThat(dir.resolve("pwn.db")).doesNotExist();
    }
}
