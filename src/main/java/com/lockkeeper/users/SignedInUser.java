package com.lockkeeper.users;

import com.lockkeeper.audit.Actor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Who is signed in, by whichever way: a local account, a directory account, or a personal
 * access token. {@code via} says which (for the audit record); roles are what the account has
 * now. No roles means an end user, who may use self-service only.
 */
public record SignedInUser(String username, Set<Role> roles, String via) implements Serializable {

    public SignedInUser {
        roles = roles.isEmpty() ? EnumSet.noneOf(Role.class) : EnumSet.copyOf(roles);
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** HELPDESK or ADVANCED_HELPDESK: may reveal with the full procedure. */
    public boolean helpdesk() {
        return has(Role.HELPDESK) || has(Role.ADVANCED_HELPDESK);
    }

    public boolean admin() {
        return has(Role.ADMIN);
    }

    public boolean auditor() {
        return has(Role.AUDITOR);
    }

    /** AUDITOR or ADMIN: reads the compliance, lifecycle and recovery audit reports. */
    public boolean readsReports() {
        return auditor() || admin();
    }

    /** ADVANCED_HELPDESK, AUDITOR or ADMIN: sees post-recovery analyses (the first and last also close them). */
    public boolean seesAnalyses() {
        return readsReports() || has(Role.ADVANCED_HELPDESK);
    }

    /** ROLE_USER for every signed-in person, plus ROLE_&lt;role&gt; for each role. */
    public List<GrantedAuthority> authorities() {
        List<GrantedAuthority> authorities = new ArrayList<>();
        authorities.add(new SimpleGrantedAuthority("ROLE_USER"));
        roles.forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role.name())));
        return authorities;
    }

    public Actor actor() {
        return Actor.user(username);
    }

    /** The roles as written in the audit record, or "end user". */
    public String roleNames() {
        return roles.isEmpty() ? "end user" : String.join(",", roles.stream().map(Role::name).toList());
    }
}
