package com.lockkeeper.users;

import java.util.Set;

/** A local account as sign-in needs it: its hash stays inside the users package. */
public record LocalAccount(long id, String username, Set<Role> roles, boolean mustChangePassword, boolean disabled) {
}
