package com.lockkeeper.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditAnchoring;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditFeed;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.audit.AuditRecord;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.SyslogTestReceiver;
import com.lockkeeper.testing.SyslogTestReceiver.Message;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Audit streaming to a real syslog receiver started by the test (RFC 5424 over TCP, octet-counting
 * frames, parsed on arrival): every record arrives once, in order per lane, with its chain; a
 * receiver that was down gets what it missed; a server restarted in the middle loses nothing.
 */
class SyslogStreamingTest {

    SyslogTestReceiver receiver;
    @TempDir
    Path dataDir;
    ConfigurableApplicationContext server;

    @BeforeEach
    void start() {
        receiver = SyslogTestReceiver.start();
        server = server();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        receiver.close();
    }

    ConfigurableApplicationContext server() {
        return Installations.server(dataDir, "stream-node",
                "--lockkeeper.audit.sinks.siem.type=syslog",
                "--lockkeeper.audit.sinks.siem.host=127.0.0.1",
                "--lockkeeper.audit.sinks.siem.port=" + receiver.port(),
                "--lockkeeper.audit.sinks.siem.batch-size=7",
                "--lockkeeper.audit.sinks.siem.interval=300ms");
    }

    /** {@code count} records written by 4 threads at once, so they spread over the server's lanes. */
    void write(int count, String what) throws Exception {
        AuditLog audit = server.getBean(AuditLog.class);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        for (int i = 0; i < count; i++) {
            int n = i;
            writers.submit(() -> audit.record(AuditEntry.success(Actor.system("test"), AuditAction.REPORT_VIEW,
                    "report " + what + "-" + n, "streamed \"" + what + "\" ] " + n)));
        }
        writers.shutdown();
        assertThat(writers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    }

    /** Every lane's records, from the database. */
    Map<String, List<AuditRecord>> stored() {
        AuditFeed feed = server.getBean(AuditFeed.class);
        Map<String, List<AuditRecord>> lanes = new java.util.TreeMap<>();
        feed.heads().keySet().forEach(lane -> lanes.put(lane, feed.after(lane, 0, 1_000_000)));
        return lanes;
    }

    void awaitEverything() {
        await(() -> {
            Map<String, List<Message>> arrived = receiver.byLane("audit");
            return stored().entrySet().stream().allMatch(lane -> arrived.containsKey(lane.getKey())
                    && arrived.get(lane.getKey()).stream().map(m -> Long.parseLong(m.sd().get("seq"))).distinct().count()
                    == lane.getValue().size());
        }, "every stored record at the receiver");
    }

    static void await(BooleanSupplier condition, String what) {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("waited 30 s for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * Each lane arrived in order and complete, each record as stored (hash, previous hash); a record
     * that arrived twice is the same record under the same sequence number both times.
     */
    void assertArrivedAsStored(boolean once) {
        assertThat(receiver.malformed()).isEmpty();
        Map<String, List<Message>> arrived = receiver.byLane("audit");
        Map<String, List<AuditRecord>> stored = stored();
        assertThat(arrived.keySet()).containsExactlyInAnyOrderElementsOf(stored.keySet());
        stored.forEach((lane, records) -> {
            List<Message> messages = arrived.get(lane);
            if (once) {
                assertThat(messages).as("lane " + lane + " once each").hasSameSizeAs(records);
            }
            long expected = 1;
            String previousHash = HexFormat.of().formatHex(new byte[32]);
            for (Message message : messages) {
                long seq = Long.parseLong(message.sd().get("seq"));
                AuditRecord record = records.get((int) seq - 1);
                assertThat(message.sd().get("hash")).isEqualTo(HexFormat.of().formatHex(record.hash()));
                assertThat(message.sd().get("prevHash")).isEqualTo(HexFormat.of().formatHex(record.prevHash()));
                if (seq == expected) {
                    assertThat(message.sd().get("prevHash")).as("lane " + lane + " seq " + seq + " links").isEqualTo(previousHash);
                    previousHash = message.sd().get("hash");
                    expected++;
                } else {
                    assertThat(seq).as("lane " + lane + ": a repeat, never a gap").isLessThan(expected);
                }
            }
            assertThat(expected - 1).as("lane " + lane + " complete").isEqualTo(records.size());
        });
    }

    @Test
    void everyRecordArrivesOnceInOrderPerLaneWithItsLaneSequenceAndHashes() throws Exception {
        write(60, "first");

        awaitEverything();

        assertArrivedAsStored(true);
        Message one = receiver.messages().stream().filter(m -> "report.view".equals(m.msgId())).findFirst().orElseThrow();
        assertThat(one.priority()).isEqualTo(13 * 8 + 6); // log audit, informational
        assertThat(one.app()).isEqualTo("lockkeeper");
        assertThat(one.host()).isEqualTo("stream-node");
        assertThat(one.sdId()).isEqualTo("lockkeeper@32473");
        assertThat(one.timestamp()).endsWith("Z");
        assertThat(one.msg()).startsWith("{\"type\":\"audit\",\"lane\":\"stream-node/").contains("\"seq\":",
                "\"action\":\"report.view\"", "\"hash\":\"" + one.sd().get("hash") + "\"", "\"prevHash\":");
        assertThat(receiver.messages()).anySatisfy(m -> assertThat(m.msg()).contains("streamed \\\"first\\\" ] "));
        assertThat(server.getBean(AuditStreaming.class).lag()).singleElement().satisfies(lag -> {
            assertThat(lag.sink()).isEqualTo("siem");
            assertThat(lag.target()).isEqualTo("syslog://127.0.0.1:" + receiver.port());
            assertThat(lag.waiting()).isZero();
            assertThat(lag.oldestWaiting()).isEmpty();
            assertThat(lag.lastDelivery()).isPresent();
            assertThat(lag.lastError()).isEmpty();
            assertThat(lag.shippedBy()).contains("stream-node");
        });
    }

    @Test
    void anchorsOfTheLanesGoToTheSinkToo() throws Exception {
        write(10, "anchored");
        awaitEverything();

        server.getBean(AuditAnchoring.class).anchorNow();

        await(() -> !receiver.byLane("anchor").isEmpty(), "anchors at the receiver");
        Map<String, List<AuditRecord>> stored = stored();
        receiver.byLane("anchor").forEach((lane, anchors) -> {
            Message anchor = anchors.get(anchors.size() - 1);
            assertThat(anchor.msgId()).isEqualTo("audit.anchor");
            AuditRecord head = stored.get(lane).get(Integer.parseInt(anchor.sd().get("seq")) - 1);
            assertThat(anchor.sd().get("hash")).isEqualTo(HexFormat.of().formatHex(head.hash()));
        });
    }

    @Test
    void aReceiverThatWasDownGetsWhatItMissedWhenItIsBack() throws Exception {
        write(5, "before");
        awaitEverything();

        receiver.stop();
        write(30, "while-down");
        AuditStreaming streaming = server.getBean(AuditStreaming.class);
        await(() -> streaming.lag().get(0).lastError().isPresent(), "the sink's failure in its status");
        SinkLag lag = streaming.lag().get(0);
        assertThat(lag.waiting()).isGreaterThanOrEqualTo(30);
        assertThat(lag.oldestWaiting()).isPresent();
        assertThat(lag.lastError().orElseThrow()).contains("Connect");

        receiver.listen();
        awaitEverything();

        assertArrivedAsStored(false);
        await(() -> streaming.lag().get(0).waiting() == 0 && streaming.lag().get(0).lastError().isEmpty(), "no lag");
    }

    @Test
    void aServerRestartedInTheMiddleLosesNothingAndRepeatsOnlyUnderTheSameSequenceNumber() throws Exception {
        write(150, "before-restart");
        server.close(); // while the sink is still catching up, 7 records a batch
        server = null;
        int before = receiver.messages().size();

        server = server();
        write(20, "after-restart");
        awaitEverything();

        assertThat(before).isLessThan(170);
        assertArrivedAsStored(false);
        List<Message> audit = new ArrayList<>(receiver.messages().stream().filter(m -> "audit".equals(m.sd().get("type"))).toList());
        Map<String, String> hashes = new java.util.HashMap<>();
        for (Message message : audit) {
            String key = message.sd().get("lane") + "#" + message.sd().get("seq");
            String hash = hashes.putIfAbsent(key, message.sd().get("hash"));
            assertThat(hash == null || hash.equals(message.sd().get("hash"))).as(key).isTrue();
        }
    }
}
