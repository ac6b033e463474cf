package com.lockkeeper.cluster;

import com.lockkeeper.keys.Barrier;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.RestController;

/**
 * For service managers, load balancers and monitoring; no secrets, no counts.
 * Liveness ({@code /healthz}, {@code /healthz/live}): the process answers, whatever the database
 * does; restart it only when this fails. Readiness ({@code /healthz/ready}): this node reaches its
 * database and is open, so it can do everything, reveals included; 503 otherwise, saying which.
 * A sealed node still accepts escrow, but a load balancer in front of the helpdesk should send
 * people to a ready one.
 */
@RestController
class HealthController {

    record Liveness(String status, String node, String keys) {
    }

    record Readiness(String status, String node, String database, String keys) {
    }

    private final Barrier barrier;
    private final DatabaseProbe database;

    HealthController(Barrier barrier, DatabaseProbe database) {
        this.barrier = barrier;
        this.database = database;
    }

    @GetMapping({"/healthz", "/healthz/live"})
    Liveness live() {
        return new Liveness("up", barrier.nodeName(), keysWithoutFailing());
    }

    @GetMapping("/healthz/ready")
    ResponseEntity<Readiness> ready() {
        boolean reachable = database.reachable();
        String keys = keysWithoutFailing();
        boolean ready = reachable && "open".equals(keys);
        return ResponseEntity.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .body(new Readiness(ready ? "ready" : "not ready", barrier.nodeName(), reachable ? "up" : "unreachable", keys));
    }

    /** Open or sealed; "unknown" when telling would need the database and it is away. */
    private String keysWithoutFailing() {
        try {
            return barrier.state().label();
        } catch (DataAccessException | TransactionException databaseAway) {
            return "unknown";
        }
    }
}
