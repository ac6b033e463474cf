package com.lockkeeper.audit;

import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Anchors the heads of this process's lanes outside the database: in the data directory's
 * {@link AuditAnchors} file and as a log line (which a log shipper carries off the machine). The
 * server does it every minute; every process does it when it ends, so an admin command's lane
 * is anchored too.
 */
public final class AuditAnchoring implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AuditAnchoring.class);

    private final AuditLog audit;
    private final AuditAnchors anchors;
    private final boolean server;

    AuditAnchoring(AuditLog audit, AuditAnchors anchors, boolean server) {
        this.audit = audit;
        this.anchors = anchors;
        this.server = server;
    }

    @Scheduled(initialDelay = 60_000, fixedDelay = 60_000)
    void periodically() {
        if (server) {
            anchorNow();
        }
    }

    public void anchorNow() {
        Map<String, AuditVerification.Head> heads = audit.ownHeads();
        for (String lane : anchors.anchor(heads)) {
            AuditVerification.Head head = heads.get(lane);
            log.info("audit anchor: lane {} head {} hash {}", lane, head.seq(), head.hashHex());
        }
    }

    @Override
    public void close() {
        anchorNow();
    }
}
