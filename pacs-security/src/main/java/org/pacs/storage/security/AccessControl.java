package org.pacs.storage.security;

import java.util.Set;
import org.pacs.storage.StorageException;

/**
 * Role-based access decisions using the {@link DefaultGrants default grants}. Stateless, so the CLI can call
 * it directly: {@code AccessControl.check(actor, ResourceType.USER, Action.WRITE)} before changing a user.
 * An inactive user is denied everything, whatever roles it still holds.
 */
public final class AccessControl {

    private AccessControl() {
    }

    /** True if {@code user} is active and one of its roles grants {@code action} on {@code resource}. */
    public static boolean allows(User user, ResourceType resource, Action action) {
        if (user == null || !user.active()) {
            return false;
        }
        Permission wanted = Permission.of(resource, action);
        for (Role role : user.roles()) {
            if (role.permissions().contains(wanted)) {
                return true;
            }
        }
        return false;
    }

    /** Like {@link #allows} but throws {@code PERMISSION_DENIED} with a message saying who lacks what. */
    public static void check(User user, ResourceType resource, Action action) {
        if (allows(user, resource, action)) {
            return;
        }
        String who = user == null ? "An unknown user" : "User " + user.username();
        String why = user == null ? "sign in first"
                : !user.active() ? "the account is deactivated; an administrator can reactivate it"
                : "roles " + user.roles() + " do not grant it; ask an administrator for a role that does";
        throw new StorageException(StorageException.Reason.PERMISSION_DENIED,
                who + " may not " + action + " " + resource + ": " + why + ".");
    }

    /** Everything {@code user} may do; empty for an inactive user. */
    public static Set<Permission> permissionsOf(User user) {
        Set<Permission> all = new java.util.LinkedHashSet<>();
        if (user != null && user.active()) {
            for (Role role : user.roles()) {
                all.addAll(role.permissions());
            }
        }
        return java.util.Collections.unmodifiableSet(all);
    }
}
