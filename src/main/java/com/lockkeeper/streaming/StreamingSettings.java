package com.lockkeeper.streaming;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Audit streaming to a SIEM: any number of sinks under {@code lockkeeper.audit.sinks.<name>.*},
 * each shipped every audit record at least once, in order per lane. Off while none is configured.
 */
@ConfigurationProperties("lockkeeper.audit")
public record StreamingSettings(Map<String, Sink> sinks) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

    public StreamingSettings {
        TreeMap<String, Sink> checked = new TreeMap<>();
        if (sinks != null) {
            sinks.forEach((name, sink) -> {
                if (!NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("lockkeeper.audit.sinks." + name + ": a sink's name has 1 to 40"
                            + " lower-case letters, digits and '-', such as lockkeeper.audit.sinks.siem.type=syslog");
                }
                sink.check("lockkeeper.audit.sinks." + name);
                checked.put(name, sink);
            });
        }
        sinks = java.util.Collections.unmodifiableMap(checked);
    }

    public enum Type { SYSLOG, HTTPS }

    /** How an HTTPS sink's body is laid out: one JSON object per line, or Splunk HTTP Event Collector events. */
    public enum Format { JSON_LINES, SPLUNK_HEC }

    /**
     * One sink.
     *
     * @param type        {@code syslog} (RFC 5424 over TCP, octet-counting framing) or {@code https} (JSON lines POSTed)
     * @param host        syslog: the receiver's host
     * @param port        syslog: the receiver's port
     * @param tls         syslog: TLS to the receiver (on by itself when {@code tlsCaFile} is set)
     * @param url         https: where to POST ({@code http://} is allowed for a receiver on the same machine)
     * @param tlsCaFile   the receiver's CA certificate(s), PEM: only certificates from it are trusted (else the JVM's trust store)
     * @param tokenFile   https: a file holding the token sent in {@code tokenHeader} (never the token in a property)
     * @param tokenHeader https: the header that carries the token
     * @param tokenPrefix https: written before the token ({@code "Bearer "}, Splunk: {@code "Splunk "})
     * @param format      https: {@code json-lines} or {@code splunk-hec}
     * @param batchSize   records per frame batch or POST
     * @param interval    how often the sink is checked for records written by other nodes (this node's go at once)
     * @param facility    syslog facility of the messages (13: log audit)
     */
    public record Sink(Type type, String host, Integer port, @DefaultValue("false") boolean tls, URI url, Path tlsCaFile,
            Path tokenFile, @DefaultValue("Authorization") String tokenHeader, @DefaultValue("Bearer ") String tokenPrefix,
            @DefaultValue("json-lines") Format format, @DefaultValue("500") int batchSize, @DefaultValue("1s") Duration interval,
            @DefaultValue("13") int facility) {

        void check(String property) {
            if (type == null) {
                throw new IllegalArgumentException(property + ".type is required: syslog or https");
            }
            if (batchSize < 1 || batchSize > 10_000) {
                throw new IllegalArgumentException(property + ".batch-size must be between 1 and 10000");
            }
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException(property + ".interval must be positive, such as 1s");
            }
            if (type == Type.SYSLOG) {
                if (host == null || host.isBlank() || port == null || port < 1 || port > 65535) {
                    throw new IllegalArgumentException(property + ".host and .port are required for a syslog sink");
                }
                if (facility < 0 || facility > 23) {
                    throw new IllegalArgumentException(property + ".facility is 0 to 23");
                }
            } else {
                String scheme = url == null || url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("https") && !scheme.equals("http")) {
                    throw new IllegalArgumentException(property + ".url is required for an https sink: the receiver's"
                            + " https:// address, such as https://splunk.corp.example.com:8088/services/collector/event");
                }
                if (url.getUserInfo() != null || (url.getQuery() != null && url.getQuery().toLowerCase(Locale.ROOT).contains("token"))) {
                    throw new IllegalArgumentException(property + ".url must not carry a secret: put the token in a file"
                            + " (" + property + ".token-file)");
                }
            }
        }

        boolean usesTls() {
            return type == Type.SYSLOG ? tls || tlsCaFile != null : "https".equalsIgnoreCase(url.getScheme());
        }

        /** Where the sink sends, for status and messages (never a token). */
        String target() {
            return type == Type.SYSLOG ? (usesTls() ? "syslog+tls://" : "syslog://") + host + ":" + port : url.toString();
        }

        /** The lease outlives a few rounds, so that a slow round does not hand the sink to another node. */
        Duration leaseDuration() {
            Duration three = interval.multipliedBy(3);
            return three.compareTo(Duration.ofSeconds(30)) > 0 ? three : Duration.ofSeconds(30);
        }
    }
}
