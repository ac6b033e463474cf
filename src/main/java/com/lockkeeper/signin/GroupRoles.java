package com.lockkeeper.signin;

import com.lockkeeper.users.Role;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Which roles the members of which groups have, for directory and OpenID Connect sign-in alike: a
 * person has the roles of all their mapped groups together, and someone in no mapped group is an
 * end user. Group names compare as DNs when they are DNs (case and spacing ignored), else
 * case-insensitively.
 */
final class GroupRoles {

    private final Map<String, Set<Role>> roles;

    private GroupRoles(Map<String, Set<Role>> roles) {
        this.roles = Map.copyOf(roles);
    }

    /** The directory's shape: {@code <group>=<roles, comma-separated>}; {@code property} names the setting in errors. */
    static GroupRoles byGroup(Map<String, String> groupRoles, String property) {
        Map<String, Set<Role>> parsed = new HashMap<>();
        groupRoles.forEach((group, names) -> {
            Set<Role> set = parsed.computeIfAbsent(normalise(group), g -> EnumSet.noneOf(Role.class));
            for (String role : names.split(",")) {
                if (!role.isBlank()) {
                    set.add(parse(role, property + "." + group));
                }
            }
        });
        return new GroupRoles(parsed);
    }

    /** The shape per role: {@code <ROLE>=<groups>}; {@code property} names the setting in errors. */
    static GroupRoles byRole(Map<String, List<String>> roleGroups, String property) {
        Map<String, Set<Role>> parsed = new HashMap<>();
        roleGroups.forEach((roleName, groups) -> {
            Role role = parse(roleName, property + "." + roleName);
            for (String group : groups) {
                if (!group.isBlank()) {
                    parsed.computeIfAbsent(normalise(group), g -> EnumSet.noneOf(Role.class)).add(role);
                }
            }
        });
        return new GroupRoles(parsed);
    }

    /** The roles of someone in these groups: none for an end user. */
    Set<Role> of(Collection<String> groups) {
        Set<Role> found = EnumSet.noneOf(Role.class);
        for (String group : groups) {
            if (group != null) {
                found.addAll(roles.getOrDefault(normalise(group), Set.of()));
            }
        }
        return found;
    }

    boolean isEmpty() {
        return roles.isEmpty();
    }

    private static Role parse(String role, String property) {
        try {
            return Role.parse(role);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + ": " + e.getMessage(), e);
        }
    }

    static String normalise(String group) {
        String trimmed = group.strip();
        if (trimmed.contains("=") && DN.isValidDN(trimmed)) {
            try {
                return new DN(trimmed).toNormalizedString();
            } catch (LDAPException e) {
                // not a DN after all
            }
        }
        return trimmed.toLowerCase(Locale.ROOT);
    }
}
