package com.lockkeeper.recovery;

import com.lockkeeper.users.Role;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lockkeeper.approval.*}: which reveals need a second person's approval first. Off by
 * default: nothing needs approval until one of {@code roles} (requesters with any of these
 * roles), {@code computers} (name patterns: a glob like {@code SRV-*}, or {@code regex:...}),
 * {@code key-packages}, {@code not-associated} (a caller who is not an associated user) or
 * {@code self-service} is set. An approval is given by a user with one of
 * {@code approver-roles} who is not the requester; the request waits {@code request-validity}
 * for it, and an approved request may be used for one reveal within {@code grant-validity}.
 * Users with one of {@code break-glass-roles} may reveal without approval, with a justification
 * of at least {@code break-glass-min-justification} characters, which is flagged and reported.
 */
@ConfigurationProperties("lockkeeper.approval")
public record ApprovalSettings(List<Role> roles, List<String> computers, boolean keyPackages, boolean notAssociated,
        boolean selfService, @DefaultValue("APPROVER") List<Role> approverRoles, @DefaultValue("60m") Duration grantValidity,
        @DefaultValue("8h") Duration requestValidity, List<Role> breakGlassRoles,
        @DefaultValue("20") int breakGlassMinJustification) {

    public ApprovalSettings {
        roles = roles == null ? List.of() : List.copyOf(roles);
        computers = computers == null ? List.of() : computers.stream().filter(c -> c != null && !c.isBlank()).map(String::strip).toList();
        approverRoles = approverRoles == null || approverRoles.isEmpty() ? List.of(Role.APPROVER) : List.copyOf(approverRoles);
        breakGlassRoles = breakGlassRoles == null ? List.of() : List.copyOf(breakGlassRoles);
        if (grantValidity == null || grantValidity.isNegative() || grantValidity.isZero()) {
            throw new IllegalArgumentException("lockkeeper.approval.grant-validity must be a positive duration, like 60m");
        }
        if (requestValidity == null || requestValidity.isNegative() || requestValidity.isZero()) {
            throw new IllegalArgumentException("lockkeeper.approval.request-validity must be a positive duration, like 8h");
        }
        if (breakGlassMinJustification < 1) {
            throw new IllegalArgumentException("lockkeeper.approval.break-glass-min-justification must be at least 1");
        }
    }

    public static ApprovalSettings off() {
        return new ApprovalSettings(null, null, false, false, false, null, Duration.ofMinutes(60), Duration.ofHours(8), null, 20);
    }
}
