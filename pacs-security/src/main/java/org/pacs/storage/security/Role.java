package org.pacs.storage.security;

import java.util.Locale;
import java.util.Set;
import org.pacs.storage.StorageException;

/**
 * The fixed set of roles. The constant's {@link #name()} is what the database stores, so renaming a constant
 * is a schema change (the {@code user_roles} CHECK constraint lists them).
 */
public enum Role {
    VIEWER, TECHNOLOGIST, RADIOLOGIST, ADMINISTRATOR, SYSTEM;

    /** The default grants of this role; see {@link DefaultGrants} for why each role gets what it gets. */
    public Set<Permission> permissions() {
        return DefaultGrants.of(this);
    }

    /**
     * Looks a role up by name, ignoring case ("radiologist" works) because people type these on a command
     * line. Anything else, including SQL-looking text, is refused before it gets near the database.
     */
    public static Role parse(String name) {
        if (name != null) {
            String upper = name.strip().toUpperCase(Locale.ROOT);
            for (Role role : values()) {
                if (role.name().equals(upper)) {
                    return role;
                }
            }
        }
        throw StorageException.invalidInput("Unknown role " + Identifiers.quote(name) + "; use one of "
                + java.util.Arrays.toString(values()) + ".");
    }
}
