package com.lockkeeper.audit;

import java.io.UncheckedIOException;
import java.util.List;
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
        List<String> moved;
        try {
            moved = anchors.anchor(heads);
        } catch (UncheckedIOException e) {
            // Never fail the server or a command over it: the log lines below still carry the heads off the machine.
            log.warn("cannot write the audit anchors file {} ({}): give it to the server's user (chown) with mode 0600",
                    anchors.file(), e.getCause() == null ? e.getMessage() : e.getCause().getClass().getSimpleName());
            moved = List.copyOf(heads.keySet());
        }
        for (String lane : moved) {
            AuditVerification.Head head = heads.get(lane);
            log.info("audit anchor: lane {} head {} hash {}", lane, head.seq(), head.hashHex());
        }
    }

    @Override
    public void close() {
        anchorNow();
    }
}
