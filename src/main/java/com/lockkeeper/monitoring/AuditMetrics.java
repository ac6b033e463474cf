package com.lockkeeper.monitoring;

import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditObserver;
import com.lockkeeper.audit.Outcome;
import com.lockkeeper.recovery.RevealDetails;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Optional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Counters read off the audit log as it is written, so every reveal, refusal and failed sign-in
 * is counted wherever it happens: reveals by channel, kind and outcome, refusals by action, failed
 * sign-ins and lockouts. Counted after the commit: an action that rolled back is not counted.
 */
final class AuditMetrics implements AuditObserver {

    static final String REVEALS = "lockkeeper.reveals";
    static final String REFUSALS = "lockkeeper.refusals";
    static final String SIGN_IN_FAILURES = "lockkeeper.signin.failures";
    static final String SIGN_IN_LOCKOUTS = "lockkeeper.signin.lockouts";

    private final MeterRegistry registry;
    private final Counter signInFailures;
    private final Counter signInLockouts;

    AuditMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.signInFailures = Counter.builder(SIGN_IN_FAILURES).description("Sign-ins refused (wrong password, unknown or"
                + " disabled account, throttled)").register(registry);
        this.signInLockouts = Counter.builder(SIGN_IN_LOCKOUTS).description("Accounts or addresses locked out after repeated"
                + " failed sign-ins").register(registry);
        for (String channel : new String[] {"helpdesk", "self-service", "api"}) {
            reveals(channel, "recovery-password", "revealed"); // present at 0 from the start, for alerts on rates
        }
    }

    @Override
    public void recorded(AuditEntry entry, Instant at) {
        Optional<AuditAction> action = AuditAction.ofStored(entry.action());
        if (action.isEmpty()) {
            return;
        }
        Runnable count = counting(action.get(), entry);
        if (count == null) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    count.run();
                }
            });
        } else {
            count.run();
        }
    }

    /** What to count for this record, or null; the counter is looked up now, incremented after the commit. */
    private Runnable counting(AuditAction action, AuditEntry entry) {
        Outcome outcome = entry.outcome();
        Counter refusal = outcome == Outcome.REFUSED ? Counter.builder(REFUSALS).description("Requests refused, by audited action")
                .tag("action", action.stored()).register(registry) : null;
        Counter counter = switch (action) {
            case REVEAL, REVEAL_KEY_PACKAGE, SELF_SERVICE_REVEAL -> reveals(channel(action, entry.detail()),
                    action == AuditAction.REVEAL_KEY_PACKAGE ? "key-package" : "recovery-password", outcome(outcome));
            case SIGN_IN -> outcome == Outcome.SUCCESS ? null : signInFailures;
            case SIGN_IN_LOCKED -> signInLockouts;
            default -> null;
        };
        if (refusal == null && counter == null) {
            return null;
        }
        return () -> {
            if (refusal != null) {
                refusal.increment();
            }
            if (counter != null) {
                counter.increment();
            }
        };
    }

    private Counter reveals(String channel, String kind, String outcome) {
        return Counter.builder(REVEALS).description("Reveals of recovery passwords and key packages, by channel, kind and outcome")
                .tag("channel", channel).tag("kind", kind).tag("outcome", outcome).register(registry);
    }

    private static String outcome(Outcome outcome) {
        return switch (outcome) {
            case SUCCESS -> "revealed";
            case REFUSED -> "refused";
            case FAILURE -> "failed";
        };
    }

    /** Self-service, the staff API or the helpdesk's pages, as the reveal's channel says. */
    static String channel(AuditAction action, String detail) {
        if (action == AuditAction.SELF_SERVICE_REVEAL) {
            return "self-service";
        }
        String channel;
        try {
            channel = RevealDetails.read(detail).channel();
        } catch (RuntimeException unreadable) {
            channel = null;
        }
        if (channel == null) {
            return "helpdesk";
        }
        if (channel.startsWith("self-service")) {
            return "self-service";
        }
        return channel.contains("-api") ? "api" : "helpdesk";
    }
}
