package com.lockkeeper.computers;

import java.util.List;
import java.util.Optional;

/** A computer with its associated users, as search finds it. */
public record ComputerSummary(long id, String name, String domain, List<String> users) {

    public String fqdn() {
        return domain == null ? name : name.toLowerCase(java.util.Locale.ROOT) + "." + domain;
    }

    public Optional<String> domainName() {
        return Optional.ofNullable(domain);
    }

    /** Whether the account is one of the computer's associated users. */
    public boolean associated(String account) {
        return users.stream().anyMatch(user -> Accounts.same(user, account));
    }
}
