package com.lockkeeper.streaming;

import com.lockkeeper.LockkeeperSettings;
import com.lockkeeper.audit.AuditAnchoring;
import com.lockkeeper.audit.AuditFeed;
import com.lockkeeper.audit.AuditLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class StreamingConfiguration {

    /** Always there (its lag is empty without sinks); its threads run only in a server process with sinks configured. */
    @Bean
    AuditStreaming auditStreaming(StreamingSettings settings, JdbcClient jdbc, AuditFeed feed, AuditLog audit,
            AuditAnchoring anchoring, Clock clock, LockkeeperSettings lockkeeper) {
        SinkRepository repository = new SinkRepository(jdbc);
        List<SinkShipper> shippers = new ArrayList<>();
        settings.sinks().forEach((name, sink) -> {
            String property = "lockkeeper.audit.sinks." + name;
            Receiver receiver = sink.type() == StreamingSettings.Type.SYSLOG
                    ? new SyslogReceiver(sink, property) : new HttpsReceiver(sink, property);
            shippers.add(new SinkShipper(name, sink, receiver, repository, feed, clock, lockkeeper.nodeName()));
        });
        AuditStreaming streaming = new AuditStreaming(shippers, repository, feed, clock, lockkeeper.server());
        if (streaming.enabled() && lockkeeper.server()) {
            audit.onCommit(streaming::wake);
            anchoring.onAnchor(heads -> heads.forEach((lane, head) -> streaming.anchor(
                    StreamedMessage.anchor(lane, head.seq(), head.hash(), clock.instant(), lockkeeper.nodeName()))));
        }
        return streaming;
    }
}
