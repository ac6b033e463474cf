package com.lockkeeper.streaming;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON lines POSTed over HTTPS (a webhook, Splunk's HTTP Event Collector, an Elastic or Logstash
 * HTTP input): a batch is delivered when the receiver answers 2xx. The token is read from its file
 * for each POST (so it can be replaced without a restart) and sent only in its header.
 */
final class HttpsReceiver implements Receiver {

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final StreamingSettings.Sink settings;
    private final String property;
    private final HttpClient http;

    HttpsReceiver(StreamingSettings.Sink settings, String property) {
        this.settings = settings;
        this.property = property;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER);
        if (settings.usesTls()) {
            builder.sslContext(TrustedCa.context(settings.tlsCaFile(), property + ".tls-ca-file"));
        }
        this.http = builder.build();
    }

    @Override
    public void send(List<StreamedMessage> batch) throws IOException {
        StringBuilder body = new StringBuilder(batch.size() * 512);
        for (StreamedMessage message : batch) {
            body.append(settings.format() == StreamingSettings.Format.SPLUNK_HEC ? hecEvent(message) : message.json()).append('\n');
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.url())
                .timeout(TIMEOUT)
                .header("Content-Type", settings.format() == StreamingSettings.Format.SPLUNK_HEC ? "application/json"
                        : "application/x-ndjson")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        if (settings.tokenFile() != null) {
            request.header(settings.tokenHeader(), settings.tokenPrefix() + token());
        }
        HttpResponse<Void> answer;
        try {
            answer = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending to " + settings.url(), e);
        }
        if (answer.statusCode() / 100 != 2) {
            throw new IOException(settings.url() + " answered " + answer.statusCode()
                    + (answer.statusCode() == 401 || answer.statusCode() == 403 ? " (check " + property + ".token-file)" : ""));
        }
    }

    /** Splunk HEC: the record as the event, its time in seconds (microseconds after the point). */
    private static String hecEvent(StreamedMessage message) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("time", BigDecimal.valueOf(message.at().getEpochSecond()).add(BigDecimal.valueOf(message.at().getNano() / 1000, 6)));
        event.put("host", message.node());
        event.put("source", "lockkeeper");
        event.put("sourcetype", "lockkeeper:audit");
        event.put("event", message.fields());
        return StreamedMessage.json(event);
    }

    private String token() {
        try {
            return Files.readString(settings.tokenFile(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + property + ".token-file " + settings.tokenFile(), e);
        }
    }

    @Override
    public void close() {
        // HttpClient keeps no connection that needs closing between batches
    }
}
