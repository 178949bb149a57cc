package org.pacs.storage.security;

import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * A user account.
 *
 * @param id         opaque key chosen by the caller; see {@link Identifiers#requireValidId}
 * @param username   login name; see {@link Identifiers#requireValidUsername}; unique ignoring case
 * @param roles      the roles held, possibly none
 * @param active     inactive users keep their data but are denied everything
 * @param createdAt  set by the storage on create; callers may pass anything (e.g. {@link #of})
 * @param updatedAt  set by the storage on every change
 * @param credential a password hash to store with a new user, or {@code null}. Storage reads never fill
 *                   it in, so a user fetched from the storage always has {@code null} here.
 */
public record User(String id, String username, Set<Role> roles, boolean active,
                   Instant createdAt, Instant updatedAt, PasswordHash credential) {

    public User {
        Identifiers.requireValidId("user id", id);
        Identifiers.requireValidUsername(username);
        roles = copyRoles(roles);
        Identifiers.required(createdAt, "createdAt");
        Identifiers.required(updatedAt, "updatedAt");
    }

    /** A new active user without a password; the storage stamps the timestamps when it creates it. */
    public static User of(String id, String username, Collection<Role> roles) {
        return new User(id, username, copyRoles(roles), true, Instant.EPOCH, Instant.EPOCH, null);
    }

    public static User of(String id, String username, Role... roles) {
        return of(id, username, java.util.List.of(roles));
    }

    /** Like {@link #of} with a random UUID as id, for callers (such as the CLI) that have no id of their own. */
    public static User withGeneratedId(String username, Collection<Role> roles) {
        return of(java.util.UUID.randomUUID().toString(), username, roles);
    }

    public User withUsername(String newUsername) {
        return new User(id, newUsername, roles, active, createdAt, updatedAt, credential);
    }

    public User withRoles(Collection<Role> newRoles) {
        return new User(id, username, copyRoles(newRoles), active, createdAt, updatedAt, credential);
    }

    public User withActive(boolean newActive) {
        return new User(id, username, roles, newActive, createdAt, updatedAt, credential);
    }

    /** Attaches a password so {@code createUser} stores user, roles and password in one transaction. */
    public User withPassword(char[] password) {
        return new User(id, username, roles, active, createdAt, updatedAt, PasswordHash.of(password));
    }

    public boolean hasRole(Role role) {
        return roles.contains(role);
    }

    private static Set<Role> copyRoles(Collection<Role> roles) {
        Identifiers.required(roles, "roles");
        EnumSet<Role> copy = EnumSet.noneOf(Role.class);
        for (Role role : roles) {
            copy.add(Identifiers.required(role, "role in the list of roles"));
        }
        return Collections.unmodifiableSet(copy);
    }

    /** Written by hand so a credential can never end up in a log line. */
    @Override
    public String toString() {
        return "User[id=" + Identifiers.quote(id) + ", username=" + username + ", roles=" + roles
                + ", active=" + active + ", createdAt=" + createdAt + ", updatedAt=" + updatedAt
                + ", credential=" + (credential == null ? "none" : "hidden") + "]";
    }
}
