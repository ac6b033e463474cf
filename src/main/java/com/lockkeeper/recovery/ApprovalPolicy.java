package com.lockkeeper.recovery;

import com.lockkeeper.users.Role;
import com.lockkeeper.users.SignedInUser;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Whether a reveal needs approval, and why, as {@link ApprovalSettings} say. */
public final class ApprovalPolicy {

    private final ApprovalSettings settings;
    private final List<Pattern> computers;

    public ApprovalPolicy(ApprovalSettings settings) {
        this.settings = settings;
        this.computers = settings.computers().stream().map(ApprovalPolicy::pattern).toList();
    }

    public ApprovalSettings settings() {
        return settings;
    }

    /** Why a helpdesk reveal by {@code staff} needs approval, or empty when it does not. */
    public Optional<String> whyRequired(SignedInUser staff, String computerName, boolean associated, boolean keyPackage) {
        List<String> why = new ArrayList<>();
        settings.roles().stream().filter(staff::has).findFirst()
                .ifPresent(role -> why.add("reveals by " + role.name() + " need approval"));
        if (computerName != null && computers.stream().anyMatch(p -> p.matcher(computerName).matches())) {
            why.add(computerName + " is in a computer group that needs approval");
        }
        if (keyPackage && settings.keyPackages()) {
            why.add("key packages need approval");
        }
        if (!associated && settings.notAssociated()) {
            why.add("the caller is not an associated user");
        }
        return why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why));
    }

    public boolean selfService() {
        return settings.selfService();
    }

    public boolean approver(SignedInUser user) {
        return settings.approverRoles().stream().anyMatch(user::has);
    }

    public boolean breakGlass(SignedInUser user) {
        return settings.breakGlassRoles().stream().anyMatch(user::has);
    }

    public List<Role> approverRoles() {
        return settings.approverRoles();
    }

    /** {@code regex:...} as a regular expression, anything else as a glob ({@code *}, {@code ?}); both ignore case. */
    static Pattern pattern(String configured) {
        try {
            if (configured.startsWith("regex:")) {
                return Pattern.compile(configured.substring("regex:".length()), Pattern.CASE_INSENSITIVE);
            }
            StringBuilder regex = new StringBuilder();
            for (char c : configured.toCharArray()) {
                switch (c) {
                    case '*' -> regex.append(".*");
                    case '?' -> regex.append('.');
                    default -> regex.append(Pattern.quote(String.valueOf(c)));
                }
            }
            return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("lockkeeper.approval.computers: '" + configured + "' is not a valid pattern ("
                    + e.getDescription().toLowerCase(Locale.ROOT) + "): write a glob like SRV-* or regex:^SRV-\\d+$", e);
        }
    }
}
