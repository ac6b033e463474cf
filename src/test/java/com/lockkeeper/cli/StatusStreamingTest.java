package com.lockkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.streaming.SinkLag;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What `lockkeeper status` says of an audit streaming sink. */
class StatusStreamingTest {

    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aSinkThatIsUpToDate() {
        SinkLag lag = new SinkLag("siem", "syslog+tls://siem.corp.example.com:6514", 0, Optional.empty(),
                Optional.of(NOW.minusSeconds(3)), Optional.empty(), Optional.empty(), Optional.of("lk1"));

        assertThat(StatusCommand.streamingLine(lag, NOW))
                .isEqualTo("siem  syslog+tls://siem.corp.example.com:6514  up to date, last delivery 3 s ago, shipped by lk1");
    }

    @Test
    void aSinkThatIsBehindAndFailingSaysHowFarAndWhy() {
        SinkLag lag = new SinkLag("splunk", "https://splunk.corp.example.com:8088/services/collector/event", 1234,
                Optional.of(Duration.ofMinutes(7)), Optional.of(NOW.minus(Duration.ofMinutes(8))),
                Optional.of("IOException: https://splunk.corp.example.com:8088/services/collector/event answered 503"),
                Optional.of(NOW.minusSeconds(5)), Optional.of("lk2"));

        assertThat(StatusCommand.streamingLine(lag, NOW)).isEqualTo("splunk  https://splunk.corp.example.com:8088/services/collector/event"
                + "  1234 record(s) waiting, the oldest written 7 min ago (2026-12-01T09:53:00Z), last delivery 8 min ago"
                + " (2026-12-01T09:52:00Z), shipped by lk2; FAILING since 5 s ago: IOException:"
                + " https://splunk.corp.example.com:8088/services/collector/event answered 503");
    }
}
