package com.lockkeeper.cluster;

import com.lockkeeper.keys.Barrier;
import com.lockkeeper.keys.NodeState;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** For load balancers and monitoring: is this node up, and can it decrypt. No secrets, no counts. */
@RestController
class HealthController {

    private final Barrier barrier;

    HealthController(Barrier barrier) {
        this.barrier = barrier;
    }

    @GetMapping("/healthz")
    Map<String, Object> health() {
        NodeState state = barrier.state();
        return Map.of("status", "up", "node", state.nodeName(), "keys", state.label());
    }
}
