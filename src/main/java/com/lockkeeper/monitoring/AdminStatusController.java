package com.lockkeeper.monitoring;

import com.lockkeeper.cluster.NodeRegistry;
import com.lockkeeper.escrow.Reencryption;
import com.lockkeeper.keys.KeyCeremonies;
import com.lockkeeper.notify.Notifications;
import com.lockkeeper.streaming.AuditStreaming;
import com.lockkeeper.streaming.SinkLag;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * `/admin/status`: the nodes and whether each can decrypt, the key hierarchy, the audit sinks and
 * how far behind each is, and the notifications that failed (admins and auditors, by the web
 * security). Metadata only: nothing here opens a key.
 */
@Controller
class AdminStatusController {

    /** One audit sink as the page shows it. */
    record Sink(String name, String target, long waiting, String oldestWaiting, Instant lastDelivery, String lastError,
            Instant lastErrorAt, String shippedBy) {

        static Sink of(SinkLag lag) {
            return new Sink(lag.sink(), lag.target(), lag.waiting(), lag.oldestWaiting().map(Sink::age).orElse(""),
                    lag.lastDelivery().orElse(null), lag.lastError().orElse(""), lag.lastErrorAt().orElse(null),
                    lag.shippedBy().orElse(""));
        }

        private static String age(Duration age) {
            long s = age.toSeconds();
            return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s / 3600 + " h";
        }
    }

    private final NodeRegistry nodes;
    private final KeyCeremonies keys;
    private final AuditStreaming streaming;
    private final Reencryption reencryption;
    private final Notifications notifications;

    AdminStatusController(NodeRegistry nodes, KeyCeremonies keys, AuditStreaming streaming, Reencryption reencryption,
            Notifications notifications) {
        this.nodes = nodes;
        this.keys = keys;
        this.streaming = streaming;
        this.reencryption = reencryption;
        this.notifications = notifications;
    }

    @GetMapping("/admin/status")
    String status(Model model) {
        model.addAttribute("nodes", nodes.nodes());
        model.addAttribute("hierarchy", keys.status());
        model.addAttribute("reencryption", reencryption.status());
        model.addAttribute("streaming", streaming.enabled());
        List<Sink> sinks = streaming.lag().stream().map(Sink::of).toList();
        model.addAttribute("sinks", sinks);
        Notifications.Status mail = notifications.status(0);
        model.addAttribute("mailEnabled", mail.enabled());
        model.addAttribute("mailPending", mail.pending());
        model.addAttribute("mailFailed", mail.failed());
        return "admin/status";
    }
}
