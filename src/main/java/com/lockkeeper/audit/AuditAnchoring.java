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
    private final List<java.util.function.Consumer<Map<String, AuditVerification.Head>>> listeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

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

    /** Called with the lanes whose anchor moved and their heads, each time this process anchors (audit streaming sends them on). */
    public void onAnchor(java.util.function.Consumer<Map<String, AuditVerification.Head>> listener) {
        listeners.add(listener);
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
        Map<String, AuditVerification.Head> anchored = new java.util.TreeMap<>();
        for (String lane : moved) {
            AuditVerification.Head head = heads.get(lane);
            anchored.put(lane, head);
            log.info("audit anchor: lane {} head {} hash {}", lane, head.seq(), head.hashHex());
        }
        if (!anchored.isEmpty()) {
            for (var listener : listeners) {
                try {
                    listener.accept(anchored);
                } catch (RuntimeException e) {
                    log.warn("an audit anchor listener failed: {}", e.toString());
                }
            }
        }
    }

    @Override
    public void close() {
        anchorNow();
    }
}
