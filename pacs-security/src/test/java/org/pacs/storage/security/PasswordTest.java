package org.pacs.storage.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pacs.storage.security.SqliteSecurityStorageTest.assertReason;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.StorageException.Reason;

class PasswordTest {

    private static final String SECRET = "Tr0ub4dor&3-horse";

    @TempDir
    Path dir;
    Path db;
    SqliteSecurityStorage storage;

    @BeforeEach
    void open() {
        db = dir.resolve("security.db");
        storage = new SqliteSecurityStorage(db);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    private String storedCredential(String id) throws Exception {
        return TestDb.strings(db, "SELECT credential FROM users WHERE id = ?", id).get(0);
    }

    @Test
    void storedAsSaltedPbkdf2WithItsParameters() throws Exception {
        storage.createUser(User.of("u1", "alice", Role.VIEWER).withPassword(SECRET.toCharArray()));
        storage.createUser(User.of("u2", "bob", Role.VIEWER).withPassword(SECRET.toCharArray()));
        String stored = storedCredential("u1");
        String[] parts = stored.split("\\$");
        assertThat(parts).hasSize(4);
        assertThat(parts[0]).isEqualTo("pbkdf2-sha256");
        assertThat(Integer.parseInt(parts[1])).isGreaterThanOrEqualTo(210_000);
        assertThat(Base64.getDecoder().decode(parts[2])).hasSize(16);
        assertThat(Base64.getDecoder().decode(parts[3])).hasSize(32);
        assertThat(stored).doesNotContain(SECRET);
        assertThat(storedCredential("u2")).as("same password, different salt").isNotEqualTo(stored);
    }

    @Test
    void verifiesOnlyTheRightPasswordOfAnActiveUser() {
        storage.createUser(User.of("u1", "alice", Role.VIEWER).withPassword(SECRET.toCharArray()));
        storage.createUser(User.of("u2", "bob", Role.VIEWER));
        assertThat(storage.verifyPassword("u1", SECRET.toCharArray())).isTrue();
        assertThat(storage.verifyPassword("u1", (SECRET + "x").toCharArray())).isFalse();
        assertThat(storage.verifyPassword("u1", new char[0])).isFalse();
        assertThat(storage.verifyPassword("u2", SECRET.toCharArray())).as("no password set").isFalse();
        assertThat(storage.verifyPassword("ghost", SECRET.toCharArray())).as("no such user").isFalse();
        assertThat(storage.authenticate("ALICE", SECRET.toCharArray())).map(User::id).contains("u1");
        assertThat(storage.authenticate("alice", "wrong-password".toCharArray())).isEmpty();
        assertThat(storage.authenticate("ghost", SECRET.toCharArray())).isEmpty();

        storage.setActive("admin", "u1", false);
        assertThat(storage.verifyPassword("u1", SECRET.toCharArray())).as("deactivated").isFalse();
        storage.setActive("admin", "u1", true);
        storage.clearPassword("admin", "u1");
        assertThat(storage.verifyPassword("u1", SECRET.toCharArray())).as("cleared").isFalse();
    }

    @Test
    void neverReturnedByReadsNorWrittenToTheAuditLog() throws Exception {
        storage.createUser(User.of("u1", "alice", Role.VIEWER).withPassword(SECRET.toCharArray()));
        storage.setPassword("admin", "u1", "another-Secret-1".toCharArray());
        assertThat(storage.getUser("u1").credential()).isNull();
        assertThat(storage.getUserByUsername("alice").credential()).isNull();
        assertThat(storage.listUsers()).allSatisfy(u -> assertThat(u.credential()).isNull());
        assertThat(storage.getUsersByRole(Role.VIEWER)).allSatisfy(u -> assertThat(u.credential()).isNull());
        assertThat(storage.authenticate("alice", "another-Secret-1".toCharArray()).orElseThrow().credential()).isNull();
        String hash = storedCredential("u1").split("\\$")[3];
        assertThat(storage.auditLog()).extracting(AuditEntry::detail)
                .containsExactly("username alice, roles [VIEWER], active true, password set", "password set")
                .noneMatch(d -> d.contains(SECRET) || d.contains("another-Secret-1") || d.contains(hash));
        // Nothing of the password ends up anywhere in the database file or its WAL.
        storage.close();
        for (Path file : new Path[] {db, dir.resolve("security.db-wal")}) {
            if (Files.exists(file)) {
                assertThat(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1))
                        .doesNotContain(SECRET).doesNotContain("another-Secret-1");
            }
        }
    }

    @Test
    void oldCheapHashesAreUpgradedOnLogin() throws Exception {
        storage.createUser(User.of("u1", "alice", Role.VIEWER));
        PasswordHash old = PasswordHash.of(SECRET.toCharArray(), 1_000);
        TestDb.update(db, "UPDATE users SET credential = ? WHERE id = ?", old.encoded(), "u1");
        assertThat(old.needsUpgrade()).isTrue();
        assertThat(storage.verifyPassword("u1", "wrong-password".toCharArray())).isFalse();
        assertThat(storedCredential("u1")).as("a failed login upgrades nothing").isEqualTo(old.encoded());

        assertThat(storage.verifyPassword("u1", SECRET.toCharArray())).isTrue();
        String upgraded = storedCredential("u1");
        assertThat(upgraded).startsWith("pbkdf2-sha256$" + PasswordHash.ITERATIONS + "$");
        assertThat(storage.verifyPassword("u1", SECRET.toCharArray())).isTrue();
        assertThat(storage.auditLog()).last().satisfies(e -> {
            assertThat(e.actorId()).isEqualTo(SecurityStorage.SYSTEM_ACTOR);
            assertThat(e.detail()).isEqualTo("password hash upgraded to 210000 iterations");
        });
    }

    @Test
    void passwordRulesAndDamagedHashes() throws Exception {
        storage.createUser(User.of("u1", "alice"));
        assertReason(() -> storage.setPassword("admin", "u1", "short".toCharArray()), Reason.INVALID_INPUT,
                "The password has 5 characters; use 8 to 1024.");
        assertReason(() -> storage.setPassword("admin", "u1", new char[1025]), Reason.INVALID_INPUT, "1025");
        assertReason(() -> storage.setPassword("admin", "ghost", SECRET.toCharArray()), Reason.NOT_FOUND, "ghost");
        TestDb.execute(db, "UPDATE users SET credential = 'pbkdf2-sha256$oops' WHERE id = 'u1'");
        assertReason(() -> storage.verifyPassword("u1", SECRET.toCharArray()), Reason.CORRUPT,
                "The stored password of user 'u1' is unreadable; set a new one with setPassword.");
    }
}
