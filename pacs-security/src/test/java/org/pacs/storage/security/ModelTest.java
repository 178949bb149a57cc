package org.pacs.storage.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;

class ModelTest {

    @Test
    void usernameRulesGiveClearErrors() {
        assertThat(User.of("1", "alice.b@x-y_z", Role.VIEWER).username()).isEqualTo("alice.b@x-y_z");
        assertThat(User.of("1", "a".repeat(64)).username()).hasSize(64);
        assertInvalid(() -> User.of("1", "ab"), "has 2 characters; use 3 to 64");
        assertInvalid(() -> User.of("1", "a".repeat(65)), "has 65 characters");
        assertInvalid(() -> User.of("1", "al ice"), "' ' at position 3");
        assertInvalid(() -> User.of("1", "-rf-admin"), "'-' at position 1");
        assertInvalid(() -> User.of("1", "bob\nroot"), "'\\u000a' at position 4");
        assertInvalid(() -> User.of("1", null), "username is missing");
    }

    @Test
    void idsMayBeAnyPrintableTextUpToTheLimit() {
        assertThat(User.of("x' OR 1=1 -- ü 😀", "alice").id()).isEqualTo("x' OR 1=1 -- ü 😀");
        assertThat(User.of("i".repeat(Identifiers.MAX_ID_LENGTH), "alice").id()).hasSize(256);
        assertInvalid(() -> User.of("i".repeat(257), "alice"), "has 257 characters; use at most 256");
        assertInvalid(() -> User.of(" ", "alice"), "user id is empty");
        assertInvalid(() -> User.of("a\u0000b", "alice"), "control character");
        assertInvalid(() -> User.of("a\ud800b", "alice"), "broken Unicode");
    }

    @Test
    void roleParsingAcceptsNamesAndRefusesEverythingElse() {
        assertThat(Role.parse("radiologist")).isEqualTo(Role.RADIOLOGIST);
        assertThat(Role.parse(" ADMINISTRATOR ")).isEqualTo(Role.ADMINISTRATOR);
        assertInvalid(() -> Role.parse("ADMIN' OR '1'='1"), "Unknown role 'ADMIN' OR '1'='1'; use one of [VIEWER");
        assertInvalid(() -> Role.parse(null), "Unknown role (none)");
    }

    @Test
    void defaultGrants() {
        for (ResourceType resource : ResourceType.values()) {
            for (Action action : Action.values()) {
                assertThat(Role.ADMINISTRATOR.permissions()).contains(Permission.of(resource, action));
            }
        }
        assertThat(Role.VIEWER.permissions()).containsExactlyInAnyOrder(
                Permission.of(ResourceType.STUDY, Action.READ), Permission.of(ResourceType.METADATA, Action.READ),
                Permission.of(ResourceType.SERIES, Action.READ), Permission.of(ResourceType.IMAGE, Action.READ));
        for (Role role : List.of(Role.VIEWER, Role.TECHNOLOGIST, Role.RADIOLOGIST, Role.SYSTEM)) {
            assertThat(role.permissions()).as(role + " manages no people").noneMatch(p ->
                    p.resource() == ResourceType.USER || p.resource() == ResourceType.ROLE);
            assertThat(role.permissions()).as(role + " deletes no studies unless SYSTEM")
                    .matches(ps -> role == Role.SYSTEM || !ps.contains(Permission.of(ResourceType.STUDY, Action.DELETE)));
        }
        assertThat(Role.RADIOLOGIST.permissions()).contains(Permission.of(ResourceType.METADATA, Action.WRITE))
                .doesNotContain(Permission.of(ResourceType.IMAGE, Action.WRITE));
        assertThatThrownBy(() -> Role.VIEWER.permissions().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void accessControl() {
        User admin = User.of("a", "admin", Role.ADMINISTRATOR);
        User viewer = User.of("v", "viewer", Role.VIEWER);
        User nobody = User.of("n", "nobody");
        assertThat(AccessControl.allows(admin, ResourceType.USER, Action.WRITE)).isTrue();
        assertThat(AccessControl.allows(viewer, ResourceType.STUDY, Action.READ)).isTrue();
        assertThat(AccessControl.allows(viewer, ResourceType.USER, Action.WRITE)).isFalse();
        assertThat(AccessControl.allows(nobody, ResourceType.STUDY, Action.READ)).isFalse();
        assertThat(AccessControl.allows(admin.withActive(false), ResourceType.USER, Action.READ)).isFalse();
        assertThat(AccessControl.allows(null, ResourceType.STUDY, Action.READ)).isFalse();
        AccessControl.check(admin, ResourceType.ROLE, Action.WRITE);
        assertInvalid(() -> AccessControl.check(admin, null, Action.READ), "The resource is missing");

        assertThatThrownBy(() -> AccessControl.check(viewer, ResourceType.USER, Action.DELETE))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.PERMISSION_DENIED))
                .hasMessage("User viewer may not DELETE USER: roles [VIEWER] do not grant it; ask an administrator"
                        + " for a role that does.");
        assertThatThrownBy(() -> AccessControl.check(admin.withActive(false), ResourceType.USER, Action.READ))
                .hasMessageContaining("deactivated");
        assertThat(AccessControl.permissionsOf(User.of("t", "tech", EnumSet.of(Role.VIEWER, Role.RADIOLOGIST))))
                .isEqualTo(new java.util.LinkedHashSet<>(Role.RADIOLOGIST.permissions()));
        assertThat(AccessControl.permissionsOf(admin.withActive(false))).isEmpty();
    }

    @Test
    void toStringNeverShowsTheCredential() {
        User user = User.of("1", "alice", Role.VIEWER).withPassword("correct horse".toCharArray());
        assertThat(user.credential()).isNotNull();
        assertThat(user.toString()).contains("credential=hidden").doesNotContain(user.credential().encoded())
                .doesNotContain("correct horse");
        assertThat(user.credential().toString()).isEqualTo("PasswordHash[pbkdf2-sha256, 210000 iterations, value hidden]");
        assertThat(user.roles()).containsExactly(Role.VIEWER);
        assertThatThrownBy(() -> user.roles().add(Role.ADMINISTRATOR)).isInstanceOf(UnsupportedOperationException.class);
    }

    static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT)).hasMessageContaining(message);
    }
}
