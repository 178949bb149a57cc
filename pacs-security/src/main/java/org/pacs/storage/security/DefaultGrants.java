package org.pacs.storage.security;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The role → permission table. It lives in code, not in the database, so an attacker who can write the
 * database file still cannot widen what a role means, and an upgrade changes grants for everybody at once.
 */
final class DefaultGrants {

    private static final Set<ResourceType> IMAGING =
            Set.of(ResourceType.STUDY, ResourceType.SERIES, ResourceType.IMAGE, ResourceType.METADATA);

    private static final Map<Role, Set<Permission>> GRANTS = build();

    private DefaultGrants() {
    }

    static Set<Permission> of(Role role) {
        return GRANTS.get(role);
    }

    private static Map<Role, Set<Permission>> build() {
        Map<Role, Set<Permission>> map = new EnumMap<>(Role.class);
        // Viewers look at images and nothing else.
        map.put(Role.VIEWER, grants(IMAGING, Action.READ));
        // Technologists acquire, correct and send images on, but never delete clinical data.
        map.put(Role.TECHNOLOGIST, grants(IMAGING, Action.READ, Action.WRITE, Action.EXPORT));
        // Radiologists read and export everything and write reports, which land in metadata.
        Set<Permission> radiologist = grants(IMAGING, Action.READ, Action.EXPORT);
        radiologist.add(Permission.of(ResourceType.METADATA, Action.WRITE));
        map.put(Role.RADIOLOGIST, radiologist);
        // Administrators run the system, so they manage users and roles and read the audit trail.
        map.put(Role.ADMINISTRATOR, grants(Set.of(ResourceType.values()), Action.values()));
        // Service accounts (migration, HSM) move and delete data and run jobs, but manage no people.
        Set<Permission> system = grants(IMAGING, Action.READ, Action.WRITE, Action.DELETE, Action.EXPORT);
        system.add(Permission.of(ResourceType.SYSTEM, Action.READ));
        system.add(Permission.of(ResourceType.SYSTEM, Action.EXECUTE));
        system.add(Permission.of(ResourceType.AUDIT, Action.WRITE));
        map.put(Role.SYSTEM, system);
        map.replaceAll((role, set) -> Collections.unmodifiableSet(set));
        return Collections.unmodifiableMap(map);
    }

    private static Set<Permission> grants(Set<ResourceType> resources, Action... actions) {
        Set<Permission> set = new LinkedHashSet<>();
        for (ResourceType resource : ResourceType.values()) {
            if (resources.contains(resource)) {
                for (Action action : actions) {
                    set.add(Permission.of(resource, action));
                }
            }
        }
        return set;
    }
}
