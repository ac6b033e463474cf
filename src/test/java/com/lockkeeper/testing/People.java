package com.lockkeeper.testing;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.support.Password;
import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.users.LocalAccount;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.UserAccounts;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationContext;

/**
 * Local accounts for tests, created through the real {@link UserAccounts} (Argon2id, audited).
 * Every one has the password {@link #PASSWORD}. Names get a random suffix, so tests sharing a
 * database do not collide.
 */
public final class People {

    public static final String PASSWORD = "correct horse battery staple";

    private People() {
    }

    /** Adds a local account named {@code prefix-xxxxxx} with these roles (none: an end user) and returns its name. */
    public static String add(ApplicationContext context, String prefix, Role... roles) {
        String username = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        addExactly(context, username, roles);
        return username;
    }

    /** Adds a local account with exactly this name (say, to match an account associated with a computer). */
    public static String addExactly(ApplicationContext context, String username, Role... roles) {
        EnumSet<Role> set = EnumSet.noneOf(Role.class);
        set.addAll(List.of(roles));
        try (Password password = Password.copyOf(PASSWORD)) {
            context.getBean(UserAccounts.class).add(username, set, password, Actor.system("test"));
        }
        return username;
    }

    /** A new personal access token (`lkp_…`) of this local user, as `lockkeeper token create --user` makes it. */
    public static String token(ApplicationContext context, String username) {
        LocalAccount account = context.getBean(UserAccounts.class).find(username)
                .orElseThrow(() -> new IllegalArgumentException("no local user " + username));
        return context.getBean(ApiTokens.class).createPersonalToken(account.id(), account.username(),
                "test-" + UUID.randomUUID().toString().substring(0, 8), Actor.system("test")).secret();
    }
}
