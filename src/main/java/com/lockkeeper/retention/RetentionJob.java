package com.lockkeeper.retention;

import com.lockkeeper.audit.Actor;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The retention's scheduled run on the server: flags stale computers and purges the keys that are
 * due. One node of a cluster runs it at a time, the one holding the lease in {@code job_lease};
 * the others skip the round. A crashed node's lease runs out after at most its length.
 */
public final class RetentionJob {

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);
    private static final Duration LEASE = Duration.ofMinutes(30);

    private final Retention retention;
    private final RetentionRepository repository;
    private final Clock clock;
    private final boolean server;
    private final String holder;
    private final Actor actor;

    RetentionJob(Retention retention, RetentionRepository repository, Clock clock, boolean server, String holder, Actor actor) {
        this.retention = retention;
        this.repository = repository;
        this.clock = clock;
        this.server = server;
        this.holder = holder;
        this.actor = actor;
    }

    @Scheduled(initialDelayString = "${lockkeeper.retention.initial-delay:PT2M}", fixedDelayString = "${lockkeeper.retention.interval:PT1H}")
    void scheduled() {
        if (server) {
            try {
                runOnce();
            } catch (RuntimeException e) {
                log.warn("retention run failed, next try at the next interval: {}", e.getMessage());
            }
        }
    }

    /** One run, if this node gets the lease: answers the number of keys purged, or -1 when another node holds the lease. */
    public int runOnce() {
        Instant now = clock.instant();
        if (!repository.tryLease(holder, now, now.plus(LEASE))) {
            log.debug("retention: another node holds the lease");
            return -1;
        }
        try {
            var stale = retention.flagStale(actor);
            if (!stale.isEmpty()) {
                log.info("retention: {} computer(s) not checked in for {}: {}", stale.size(), RetentionSettings.shown(retention.settings().staleAfter()), stale);
            }
            int purged = retention.purgeDue(actor);
            if (purged > 0) {
                log.info("retention: purged the material of {} key(s) of retired computers", purged);
            }
            return purged;
        } finally {
            repository.releaseLease(holder);
        }
    }
}
