package org.pacs.storage.security;

import java.util.List;
import java.util.Optional;

/**
 * Persistent users, their roles and passwords, with an audit trail of every change.
 *
 * <p>Every change names an {@code actorId}: the id of the user (or service) on whose behalf it is made. It is
 * recorded in the audit log and is not checked against the users table, so the first administrator can be
 * created by {@link #SYSTEM_ACTOR}. Permission checks are the caller's job ({@link AccessControl#check});
 * the storage only stores.
 *
 * <p>All methods throw {@link org.pacs.storage.StorageException}: {@code NOT_FOUND} for an unknown user,
 * {@code ALREADY_EXISTS} for a taken id or username, {@code INVALID_INPUT} for bad ids, usernames or
 * passwords, {@code UNAVAILABLE} if the database stays locked or unreadable, {@code CORRUPT} for a damaged one.
 */
public interface SecurityStorage extends AutoCloseable {

    /** Actor id recorded for changes made by the system itself, e.g. bootstrap or hash upgrades. */
    String SYSTEM_ACTOR = "system";

    /**
     * Stores a new user with its roles and, if {@link User#credential()} is set, its password, all in one
     * transaction.
     *
     * @return the user as stored, with the storage's timestamps and without the credential
     */
    User createUser(String actorId, User user);

    default User createUser(User user) {
        return createUser(SYSTEM_ACTOR, user);
    }

    /** The user with this id; {@code NOT_FOUND} if there is none. Never carries the credential. */
    User getUser(String id);

    /** The user with this username, ignoring case; {@code NOT_FOUND} if there is none. */
    User getUserByUsername(String username);

    /**
     * Replaces username, roles and active flag of the user with {@code user.id()}. Timestamps and
     * credential in {@code user} are ignored: passwords change only through {@link #setPassword}.
     *
     * @return the user as stored now
     */
    User updateUser(String actorId, User user);

    default User updateUser(User user) {
        return updateUser(SYSTEM_ACTOR, user);
    }

    /** Deletes the user and its roles; the audit log keeps its history. */
    void deleteUser(String actorId, String id);

    default void deleteUser(String id) {
        deleteUser(SYSTEM_ACTOR, id);
    }

    /** Users holding {@code role}, ordered by username. */
    List<User> getUsersByRole(Role role);

    /** All users, ordered by username. */
    List<User> listUsers();

    /** Sets or replaces the password; the array is not kept and may be cleared by the caller afterwards. */
    void setPassword(String actorId, String id, char[] password);

    /** Removes the password so the user can no longer log in with one. */
    void clearPassword(String actorId, String id);

    /**
     * True only if the user exists, is active, has a password and {@code password} matches it. Takes the same
     * time whether or not the user exists, so it cannot be used to discover usernames or ids.
     */
    boolean verifyPassword(String id, char[] password);

    /** Looks the user up by username and returns it if {@link #verifyPassword} succeeds. */
    Optional<User> authenticate(String username, char[] password);

    /** Activates or deactivates the user; an inactive user is denied everything by {@link AccessControl}. */
    User setActive(String actorId, String id, boolean active);

    /** Every audit entry, oldest first. */
    List<AuditEntry> auditLog();

    /** The audit entries about one user id (also after it was deleted), oldest first. */
    List<AuditEntry> auditLog(String userId);

    /** Records one access to patient data (a DICOMweb store, read or delete), durably before it returns. */
    void recordAccess(AccessEvent event);

    /**
     * Records several access events in one transaction (one durable commit for all), so a busy server's audit
     * trail costs one flush per batch rather than one per request.
     */
    default void recordAccesses(List<AccessEvent> events) {
        for (AccessEvent e : events) {
            recordAccess(e);
        }
    }

    /** Access events matching {@code query}, oldest first. */
    List<AccessEvent> accessEvents(AccessEventQuery query);

    /** Closes the database connection; further calls fail with {@code UNAVAILABLE}. */
    @Override
    void close();
}
