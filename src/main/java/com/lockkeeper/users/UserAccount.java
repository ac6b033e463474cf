package com.lockkeeper.users;

import java.time.Instant;
import java.util.Set;

/** A local account, without its password hash. */
public record UserAccount(long id, String username, Set<Role> roles, boolean mustChangePassword, boolean disabled,
        Instant createdAt, Instant passwordChangedAt) {
}
