package org.pacs.storage.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;

class SqliteSecurityStorageTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00.123Z");

    @TempDir
    Path dir;
    Path db;
    TestDb.ManualClock clock = new TestDb.ManualClock(T0);
    SqliteSecurityStorage storage;

    @BeforeEach
    void open() {
        db = dir.resolve("sub/security.db");
        storage = new SqliteSecurityStorage(db, clock);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void createAndReadBack() {
        User created = storage.createUser("boot", User.of("u1", "alice", Role.RADIOLOGIST, Role.VIEWER));
        assertThat(created).isEqualTo(new User("u1", "alice", EnumSet.of(Role.VIEWER, Role.RADIOLOGIST), true,
                T0, T0, null));
        assertThat(storage.getUser("u1")).isEqualTo(created);
        assertThat(storage.getUserByUsername("ALICE")).isEqualTo(created);
        assertThat(storage.path()).isEqualTo(db.toAbsolutePath());
        try (SqliteSecurityStorage other = new SqliteSecurityStorage(db)) {
            assertThat(other.getUser("u1")).isEqualTo(created);
        }
    }

    @Test
    void generatedIdsAreUnique() {
        User a = storage.createUser(User.withGeneratedId("alice", List.of(Role.VIEWER)));
        User b = storage.createUser(User.withGeneratedId("bob", List.of()));
        assertThat(a.id()).isNotEqualTo(b.id()).hasSize(36);
        assertThat(storage.getUserByUsername("bob").id()).isEqualTo(b.id());
    }

    @Test
    void missingUsersAreNotFound() {
        assertReason(() -> storage.getUser("nope"), Reason.NOT_FOUND, "No user has the id 'nope'");
        assertReason(() -> storage.getUserByUsername("nobody"), Reason.NOT_FOUND, "No user has the username nobody");
        assertReason(() -> storage.updateUser(User.of("nope", "nobody")), Reason.NOT_FOUND, "'nope'");
        assertReason(() -> storage.deleteUser("nope"), Reason.NOT_FOUND, "'nope'");
        assertReason(() -> storage.setActive("a", "nope", false), Reason.NOT_FOUND, "'nope'");
        assertReason(() -> storage.createUser((User) null), Reason.INVALID_INPUT, "The user is missing");
        assertReason(() -> storage.getUsersByRole(null), Reason.INVALID_INPUT, "The role is missing");
        assertReason(() -> storage.clearPassword("a", "nope"), Reason.NOT_FOUND, "'nope'");
    }

    @Test
    void duplicatesAreRefusedAndNothingIsHalfWritten() throws Exception {
        storage.createUser(User.of("u1", "alice", Role.VIEWER));
        assertReason(() -> storage.createUser(User.of("u1", "other", Role.VIEWER)), Reason.ALREADY_EXISTS,
                "A user with id 'u1' exists already");
        assertReason(() -> storage.createUser(User.of("u2", "Alice", Role.ADMINISTRATOR)), Reason.ALREADY_EXISTS,
                "The username Alice is taken");
        storage.createUser(User.of("u3", "bob"));
        assertReason(() -> storage.updateUser(User.of("u3", "ALICE")), Reason.ALREADY_EXISTS, "taken");
        assertThat(TestDb.count(db, "users")).isEqualTo(2);
        assertThat(TestDb.count(db, "user_roles")).isEqualTo(1);
        assertThat(TestDb.count(db, "audit_log")).isEqualTo(2);
        assertThat(storage.getUser("u3").username()).isEqualTo("bob");
    }

    @Test
    void updateChangesUsernameRolesAndActiveAndStampsTime() {
        storage.createUser(User.of("u1", "alice", Role.VIEWER));
        clock.advance(Duration.ofMinutes(5));
        User updated = storage.updateUser("admin-1", storage.getUser("u1").withUsername("alice.b")
                .withRoles(List.of(Role.TECHNOLOGIST, Role.SYSTEM)).withActive(false));
        assertThat(updated.username()).isEqualTo("alice.b");
        assertThat(updated.roles()).containsExactly(Role.TECHNOLOGIST, Role.SYSTEM);
        assertThat(updated.active()).isFalse();
        assertThat(updated.createdAt()).isEqualTo(T0);
        assertThat(updated.updatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(storage.getUser("u1")).isEqualTo(updated);
        assertReason(() -> storage.getUserByUsername("alice"), Reason.NOT_FOUND, "alice");
        // Renaming to a different case of one's own name is allowed.
        assertThat(storage.updateUser(updated.withUsername("Alice.B")).username()).isEqualTo("Alice.B");
        // An update that changes nothing writes nothing.
        int audits = storage.auditLog().size();
        clock.advance(Duration.ofMinutes(1));
        assertThat(storage.updateUser(storage.getUser("u1")).updatedAt()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(storage.auditLog()).hasSize(audits);
    }

    @Test
    void deleteCascadesToRoles() throws Exception {
        assertThat(TestDb.strings(dir.resolve("sub/security.db"), "PRAGMA foreign_key_list(user_roles)"))
                .isNotEmpty();
        storage.createUser(User.of("u1", "alice", Role.values()));
        storage.createUser(User.of("u2", "bob", Role.VIEWER));
        assertThat(TestDb.count(db, "user_roles")).isEqualTo(6);
        storage.deleteUser("admin-1", "u1");
        assertThat(TestDb.count(db, "user_roles")).isEqualTo(1);
        assertThat(TestDb.queryLong(db, "SELECT count(*) FROM user_roles WHERE user_id = ?", "u1")).isZero();
        assertReason(() -> storage.getUser("u1"), Reason.NOT_FOUND, "u1");
        assertThat(storage.getUser("u2").roles()).containsExactly(Role.VIEWER);
        // A new user may take the freed id and name, and starts with no roles left over.
        assertThat(storage.createUser(User.of("u1", "alice")).roles()).isEmpty();
    }

    @Test
    void rawDeleteAlsoCascadesBecauseTheSchemaSaysSo() throws Exception {
        storage.createUser(User.of("u1", "alice", Role.VIEWER, Role.ADMINISTRATOR));
        // A plain connection with foreign keys on, as any tool would use; proves the cascade is in the schema.
        try (var c = TestDb.connect(db); var on = c.prepareStatement("PRAGMA foreign_keys = ON");
             var delete = c.prepareStatement("DELETE FROM users WHERE id = ?")) {
            on.execute();
            delete.setString(1, "u1");
            assertThat(delete.executeUpdate()).isEqualTo(1);
        }
        assertThat(TestDb.count(db, "user_roles")).isZero();
    }

    @Test
    void usersByRoleAndListingAreOrderedByUsername() {
        storage.createUser(User.of("3", "carol", Role.VIEWER, Role.RADIOLOGIST));
        storage.createUser(User.of("1", "Bob", Role.VIEWER));
        storage.createUser(User.of("2", "alice", Role.ADMINISTRATOR));
        storage.createUser(User.of("4", "dave"));
        assertThat(storage.getUsersByRole(Role.VIEWER)).extracting(User::username).containsExactly("Bob", "carol");
        assertThat(storage.getUsersByRole(Role.VIEWER).get(1).roles()).containsExactly(Role.VIEWER, Role.RADIOLOGIST);
        assertThat(storage.getUsersByRole(Role.SYSTEM)).isEmpty();
        assertThat(storage.listUsers()).extracting(User::username).containsExactly("alice", "Bob", "carol", "dave");
    }

    @Test
    void auditLogRecordsWhoChangedWhomAndWhen() {
        storage.createUser("root", User.of("u1", "alice", Role.VIEWER));
        clock.advance(Duration.ofSeconds(10));
        storage.updateUser("admin-7", User.of("u1", "alice2", Role.RADIOLOGIST));
        clock.advance(Duration.ofSeconds(10));
        storage.setActive("admin-7", "u1", false);
        storage.setActive("admin-7", "u1", false); // no change, no entry
        clock.advance(Duration.ofSeconds(10));
        storage.deleteUser("admin-8", "u1");
        storage.createUser(User.of("u2", "bob"));

        List<AuditEntry> log = storage.auditLog("u1");
        assertThat(log).extracting(AuditEntry::actorId, AuditEntry::action, AuditEntry::at, AuditEntry::detail)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("root", AuditAction.CREATE_USER, T0,
                                "username alice, roles [VIEWER], active true"),
                        org.assertj.core.groups.Tuple.tuple("admin-7", AuditAction.UPDATE_USER, T0.plusSeconds(10),
                                "username alice -> alice2; roles [VIEWER] -> [RADIOLOGIST]"),
                        org.assertj.core.groups.Tuple.tuple("admin-7", AuditAction.SET_ACTIVE, T0.plusSeconds(20),
                                "active true -> false"),
                        org.assertj.core.groups.Tuple.tuple("admin-8", AuditAction.DELETE_USER, T0.plusSeconds(30),
                                "username alice2, roles [RADIOLOGIST]"));
        assertThat(log).extracting(AuditEntry::sequence).isSorted().doesNotHaveDuplicates();
        assertThat(storage.auditLog()).hasSize(5).last()
                .satisfies(e -> assertThat(e.actorId()).isEqualTo(SecurityStorage.SYSTEM_ACTOR));
        assertReason(() -> storage.createUser(" ", User.of("u3", "carol")), Reason.INVALID_INPUT, "actor id is empty");
    }

    @Test
    void closedStorageSaysSo() {
        storage.close();
        storage.close();
        assertReason(() -> storage.listUsers(), Reason.UNAVAILABLE, "is closed; open a new SqliteSecurityStorage");
    }

    static void assertReason(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason, String text) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.reason()).isEqualTo(reason)).hasMessageContaining(text);
    }
}
