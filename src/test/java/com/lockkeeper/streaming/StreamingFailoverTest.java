package com.lockkeeper.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditFeed;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.SharedPostgres;
import com.lockkeeper.testing.SyslogTestReceiver;
import com.lockkeeper.testing.SyslogTestReceiver.Message;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Two nodes on PostgreSQL, both configured with the sink: one ships it at a time (whichever holds
 * the lease), every lane of both nodes included, and when that node stops the other takes over
 * from the cursor in the database, losing nothing.
 */
class StreamingFailoverTest {

    @TempDir
    Path dirA;

    @TempDir
    Path dirB;

    static String[] args(String[] database, int port) {
        return Stream.concat(Stream.of(database), Stream.of(
                "--lockkeeper.audit.sinks.siem.type=syslog",
                "--lockkeeper.audit.sinks.siem.host=127.0.0.1",
                "--lockkeeper.audit.sinks.siem.port=" + port,
                "--lockkeeper.audit.sinks.siem.batch-size=5",
                "--lockkeeper.audit.sinks.siem.interval=200ms")).toArray(String[]::new);
    }

    static void write(ConfigurableApplicationContext node, int count, String what) {
        AuditLog audit = node.getBean(AuditLog.class);
        for (int i = 0; i < count; i++) {
            audit.record(AuditEntry.success(Actor.system("test"), AuditAction.REPORT_VIEW, "report " + what, "n=" + i));
        }
    }

    static void awaitEverything(SyslogTestReceiver receiver, ConfigurableApplicationContext node) {
        AuditFeed feed = node.getBean(AuditFeed.class);
        SyslogStreamingTest.await(() -> {
            Map<String, List<Message>> arrived = receiver.byLane("audit");
            return feed.heads().entrySet().stream().allMatch(lane -> arrived.containsKey(lane.getKey())
                    && arrived.get(lane.getKey()).stream().map(m -> Long.parseLong(m.sd().get("seq"))).distinct().count()
                    == lane.getValue());
        }, "every record of every lane at the receiver");
    }

    @Test
    void oneNodeShipsAtATimeAndTheOtherTakesOverWhenItStops() {
        String[] database = SharedPostgres.newDatabaseArguments();
        try (SyslogTestReceiver receiver = SyslogTestReceiver.start()) {
            ConfigurableApplicationContext a = Installations.server(dirA, "node-a", args(database, receiver.port()));
            ConfigurableApplicationContext b = Installations.server(dirB, "node-b", args(database, receiver.port()));
            try {
                write(a, 12, "from-a");
                write(b, 12, "from-b");
                awaitEverything(receiver, a);

                SinkLag lag = a.getBean(AuditStreaming.class).lag().get(0);
                assertThat(lag.waiting()).isZero();
                String shipper = lag.shippedBy().orElseThrow();
                assertThat(shipper).isIn("node-a", "node-b");
                assertThat(b.getBean(AuditStreaming.class).lag().get(0).shippedBy()).contains(shipper);
                Map<String, List<Message>> lanes = receiver.byLane("audit");
                assertThat(lanes.keySet()).anyMatch(lane -> lane.startsWith("node-a/")).anyMatch(lane -> lane.startsWith("node-b/"));

                ConfigurableApplicationContext stays = shipper.equals("node-a") ? b : a;
                (shipper.equals("node-a") ? a : b).close();
                if (stays == a) {
                    b = null;
                } else {
                    a = null;
                }
                write(stays, 15, "after-failover");
                awaitEverything(receiver, stays);

                SyslogStreamingTest.await(() -> stays.getBean(AuditStreaming.class).lag().get(0).shippedBy()
                        .filter(node -> !node.equals(shipper)).isPresent(), "the other node shipping");
                assertThat(receiver.malformed()).isEmpty();
                Map<String, String> seen = new HashMap<>();
                List<String> clashes = new ArrayList<>();
                for (Message message : receiver.messages()) {
                    if ("audit".equals(message.sd().get("type"))) {
                        String key = message.sd().get("lane") + "#" + message.sd().get("seq");
                        String earlier = seen.putIfAbsent(key, message.sd().get("hash"));
                        if (earlier != null && !earlier.equals(message.sd().get("hash"))) {
                            clashes.add(key);
                        }
                    }
                }
                assertThat(clashes).isEmpty();
            } finally {
                if (a != null) {
                    a.close();
                }
                if (b != null) {
                    b.close();
                }
            }
        }
    }
}
