package com.lockkeeper.activedirectory;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The scheduled sync from Active Directory ({@code lockkeeper.sync.ad.*}): on the server, every
 * interval, the node that holds the sync's lease in the database imports the recovery objects changed
 * since the last run; the other nodes skip the round. The lease outlives a crashed node by at most
 * its length; a long run renews it as it goes. Each run is one audit record with its counts.
 */
public final class DirectorySync {

    private static final Logger log = LoggerFactory.getLogger(DirectorySync.class);
    private static final Duration MIN_LEASE = Duration.ofMinutes(10);

    private final DirectorySyncSettings settings;
    private final DirectoryImport directoryImport;
    private final DirectorySyncRepository repository;
    private final Clock clock;
    private final boolean server;
    private final String holder;

    DirectorySync(DirectorySyncSettings settings, DirectoryImport directoryImport, DirectorySyncRepository repository,
            Clock clock, boolean server, String holder) {
        this.settings = settings;
        this.directoryImport = directoryImport;
        this.repository = repository;
        this.clock = clock;
        this.server = server;
        this.holder = holder;
    }

    @Scheduled(initialDelayString = "${lockkeeper.sync.ad.initial-delay:PT1M}",
            fixedDelayString = "${lockkeeper.sync.ad.interval:PT5M}")
    void scheduled() {
        if (server && settings.enabled()) {
            try {
                runOnce();
            } catch (RuntimeException e) {
                log.warn("sync from Active Directory failed, next try in {}: {}", settings.interval(), e.getMessage());
            }
        }
    }

    /**
     * One run, if this node gets the lease: answers the report, or empty when another node holds the lease.
     *
     * @throws DirectoryException when the directory cannot be read (audited; the watermark stays)
     */
    public Optional<DirectoryImport.Report> runOnce() {
        Duration leaseLength = settings.interval().multipliedBy(2).compareTo(MIN_LEASE) > 0
                ? settings.interval().multipliedBy(2) : MIN_LEASE;
        Instant now = clock.instant();
        if (!repository.tryLease(DirectorySyncRepository.SYNC_JOB, holder, now, now.plus(leaseLength))) {
            log.debug("directory sync: another node holds the lease");
            return Optional.empty();
        }
        Instant[] renewed = {now};
        try {
            DirectoryImport.Report report = directoryImport.importDirectory(settings.connection(), true,
                    AuditAction.DIRECTORY_SYNC, Actor.system(holder), (done, expected) -> {
                        Instant at = clock.instant();
                        if (at.isAfter(renewed[0].plus(leaseLength.dividedBy(4)))) {
                            repository.tryLease(DirectorySyncRepository.SYNC_JOB, holder, at, at.plus(leaseLength));
                            renewed[0] = at;
                        }
                    });
            if (report.objects() > 0) {
                log.info("directory sync from {}: {}", report.controller(), report.counts());
            }
            return Optional.of(report);
        } finally {
            repository.releaseLease(DirectorySyncRepository.SYNC_JOB, holder);
        }
    }
}
