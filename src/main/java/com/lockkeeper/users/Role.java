package com.lockkeeper.users;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a staff account may do. End users sign in without a role and reach self-service only.
 * APPROVER approves or denies reveals that the approval policy holds for a second person.
 */
public enum Role {
    HELPDESK, ADVANCED_HELPDESK, AUDITOR, ADMIN, APPROVER;

    public static Role parse(String text) {
        String normalized = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (Role role : values()) {
            if (role.name().equals(normalized)) {
                return role;
            }
        }
        throw new IllegalArgumentException("unknown role '" + text + "': one of " + names() + " was expected");
    }

    public static String names() {
        return Arrays.stream(values()).map(Role::name).collect(Collectors.joining(", "));
    }
}
