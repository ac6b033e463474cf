package com.lockkeeper.cluster;

import com.lockkeeper.keys.KeyRing;
import com.lockkeeper.keys.NodeState;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** For load balancers and monitoring: is this node up, and can it decrypt. No secrets, no counts. */
@RestController
class HealthController {

    private final KeyRing ring;

    HealthController(KeyRing ring) {
        this.ring = ring;
    }

    @GetMapping("/healthz")
    Map<String, Object> health() {
        NodeState state = ring.state();
        return Map.of("status", "up", "node", state.nodeName(), "keys", state.label());
    }
}
