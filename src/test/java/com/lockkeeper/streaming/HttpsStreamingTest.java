package com.lockkeeper.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditFeed;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.audit.AuditRecord;
import com.lockkeeper.testing.HttpTestReceiver;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Audit streaming as JSON lines over HTTPS to a real receiver (the JDK's HttpsServer with a test
 * CA): the token from its file in the header, only the configured CA trusted, a receiver answering
 * 503 caught up with later, and the Splunk HEC layout.
 */
class HttpsStreamingTest {

    static final String TOKEN = "siem-token-0f8a7c";
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path dir;

    static HttpTestReceiver https;
    static HttpTestReceiver hec;
    static ConfigurableApplicationContext server;

    @BeforeAll
    static void start() throws Exception {
        TestCa ca = TestCa.create(dir);
        Path otherCa = TestCa.other(dir);
        Path token = dir.resolve("siem-token");
        Files.writeString(token, TOKEN + "\n");
        https = HttpTestReceiver.start(ca.serverContext(), "Bearer " + TOKEN);
        hec = HttpTestReceiver.start(null, "Splunk " + TOKEN);
        Path dataDir = Files.createDirectories(dir.resolve("data"));
        server = Installations.server(dataDir, "https-node",
                "--lockkeeper.audit.sinks.siem.type=https",
                "--lockkeeper.audit.sinks.siem.url=" + https.url(),
                "--lockkeeper.audit.sinks.siem.tls-ca-file=" + ca.caPem(),
                "--lockkeeper.audit.sinks.siem.token-file=" + token,
                "--lockkeeper.audit.sinks.siem.batch-size=9",
                "--lockkeeper.audit.sinks.siem.interval=300ms",
                "--lockkeeper.audit.sinks.untrusted.type=https",
                "--lockkeeper.audit.sinks.untrusted.url=" + https.url(),
                "--lockkeeper.audit.sinks.untrusted.tls-ca-file=" + otherCa,
                "--lockkeeper.audit.sinks.untrusted.token-file=" + token,
                "--lockkeeper.audit.sinks.splunk.type=https",
                "--lockkeeper.audit.sinks.splunk.url=" + hec.url(),
                "--lockkeeper.audit.sinks.splunk.format=splunk-hec",
                "--lockkeeper.audit.sinks.splunk.token-prefix=Splunk ",
                "--lockkeeper.audit.sinks.splunk.token-file=" + token);
    }

    @AfterAll
    static void stop() {
        server.close();
        https.close();
        hec.close();
    }

    static void write(int count, String what) {
        AuditLog audit = server.getBean(AuditLog.class);
        for (int i = 0; i < count; i++) {
            audit.record(AuditEntry.success(Actor.system("test"), AuditAction.REPORT_VIEW, "report " + what, "n=" + i));
        }
    }

    static Map<String, List<AuditRecord>> stored() {
        AuditFeed feed = server.getBean(AuditFeed.class);
        Map<String, List<AuditRecord>> lanes = new TreeMap<>();
        feed.heads().keySet().forEach(lane -> lanes.put(lane, feed.after(lane, 0, 1_000_000)));
        return lanes;
    }

    /** The audit records among the lines, by lane in arrival order (for Splunk, the events inside). */
    static Map<String, List<JsonNode>> byLane(List<String> lines, boolean hecEvents) {
        Map<String, List<JsonNode>> lanes = new TreeMap<>();
        for (String line : lines) {
            JsonNode node = JSON.readTree(line);
            JsonNode record = hecEvents ? node.get("event") : node;
            if ("audit".equals(record.get("type").asString())) {
                lanes.computeIfAbsent(record.get("lane").asString(), lane -> new ArrayList<>()).add(record);
            }
        }
        return lanes;
    }

    static void awaitComplete(HttpTestReceiver receiver, boolean hecEvents) {
        SyslogStreamingTest.await(() -> {
            Map<String, List<JsonNode>> arrived = byLane(receiver.lines(), hecEvents);
            return stored().entrySet().stream().allMatch(lane -> arrived.containsKey(lane.getKey())
                    && arrived.get(lane.getKey()).stream().map(n -> n.get("seq").asLong()).distinct().count()
                    == lane.getValue().size());
        }, "every stored record at " + receiver.url());
    }

    static SinkLag lag(String sink) {
        return server.getBean(AuditStreaming.class).lag().stream().filter(l -> l.sink().equals(sink)).findFirst().orElseThrow();
    }

    @Test
    void everyRecordArrivesInOrderPerLaneWithTheTokenInItsHeaderOnly() {
        write(25, "https");

        awaitComplete(https, false);

        Map<String, List<AuditRecord>> stored = stored();
        byLane(https.lines(), false).forEach((lane, records) -> {
            long seq = 0;
            String previous = HexFormat.of().formatHex(new byte[32]);
            for (JsonNode record : records) {
                if (record.get("seq").asLong() <= seq) {
                    continue; // a repeat after a refused batch: same lane and number
                }
                assertThat(record.get("seq").asLong()).isEqualTo(++seq);
                assertThat(record.get("prevHash").asString()).isEqualTo(previous);
                AuditRecord stored1 = stored.get(lane).get((int) seq - 1);
                assertThat(record.get("hash").asString()).isEqualTo(HexFormat.of().formatHex(stored1.hash()));
                assertThat(record.get("action").asString()).isEqualTo(stored1.action());
                previous = record.get("hash").asString();
            }
            assertThat(seq).isEqualTo(stored.get(lane).size());
        });
        assertThat(https.contentTypes()).allMatch(type -> type.startsWith("application/x-ndjson"));
        assertThat(https.lines()).noneMatch(line -> line.contains(TOKEN));
    }

    @Test
    void aSinkTrustingAnotherCaDeliversNothingAndSaysWhy() {
        write(3, "untrusted");
        SyslogStreamingTest.await(() -> lag("untrusted").lastError().isPresent(), "the untrusted sink's failure");

        SinkLag untrusted = lag("untrusted");
        assertThat(untrusted.lastDelivery()).isEmpty();
        assertThat(untrusted.waiting()).isGreaterThanOrEqualTo(3);
        assertThat(untrusted.lastError().orElseThrow()).containsIgnoringCase("SSL").doesNotContain(TOKEN);
    }

    @Test
    void aReceiverAnswering503IsCaughtUpWithLater() {
        write(4, "before-outage");
        awaitComplete(https, false);
        https.down(true);
        write(12, "during-outage");
        SyslogStreamingTest.await(() -> lag("siem").lastError().filter(e -> e.contains("503")).isPresent(), "the 503 in status");
        assertThat(lag("siem").waiting()).isGreaterThanOrEqualTo(12);

        https.down(false);

        awaitComplete(https, false);
        SyslogStreamingTest.await(() -> lag("siem").waiting() == 0, "no lag");
        assertThat(https.refused()).isZero();
    }

    @Test
    void splunkHecGetsEventsWithTheirTimeAndTheSplunkToken() {
        write(5, "splunk");

        awaitComplete(hec, true);

        JsonNode first = JSON.readTree(hec.lines().get(0));
        assertThat(first.get("sourcetype").asString()).isEqualTo("lockkeeper:audit");
        assertThat(first.get("host").asString()).isEqualTo("https-node");
        assertThat(first.get("time").asDouble()).isGreaterThan(1.7e9);
        assertThat(first.get("event").get("hash").asString()).hasSize(64);
        assertThat(hec.refused()).isZero();
    }
}
