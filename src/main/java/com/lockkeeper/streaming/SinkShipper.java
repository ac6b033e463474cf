package com.lockkeeper.streaming;

import com.lockkeeper.audit.AuditFeed;
import com.lockkeeper.audit.AuditRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships one sink: while this node holds the sink's lease, every lane's records after the sink's
 * cursor, batch by batch, moving the cursor after each batch the receiver took; and this node's
 * anchors, whether or not it holds the lease. A failed batch is sent again later, from the cursor:
 * a record can arrive twice (always with the same lane and sequence number), never not at all.
 */
final class SinkShipper {

    private static final Logger log = LoggerFactory.getLogger(SinkShipper.class);
    private static final int MAX_PENDING_ANCHORS = 10_000;

    private final String name;
    private final StreamingSettings.Sink settings;
    private final Receiver receiver;
    private final SinkRepository repository;
    private final AuditFeed feed;
    private final Clock clock;
    private final String node;
    private final ConcurrentLinkedQueue<StreamedMessage> anchors = new ConcurrentLinkedQueue<>();
    private boolean failing;

    SinkShipper(String name, StreamingSettings.Sink settings, Receiver receiver, SinkRepository repository, AuditFeed feed,
            Clock clock, String node) {
        this.name = name;
        this.settings = settings;
        this.receiver = receiver;
        this.repository = repository;
        this.feed = feed;
        this.clock = clock;
        this.node = node;
    }

    String name() {
        return name;
    }

    StreamingSettings.Sink settings() {
        return settings;
    }

    /** An anchor to send at the next round (kept in memory only: the next anchoring sends newer heads anyway). */
    void anchor(StreamedMessage anchor) {
        if (anchors.size() < MAX_PENDING_ANCHORS) {
            anchors.add(anchor);
        }
    }

    /** What a round did. */
    enum Round { IDLE, MORE, FAILED, NOT_HOLDER }

    /** One round; {@code stopping} is asked between batches. */
    Round round(java.util.function.BooleanSupplier stopping) {
        try {
            boolean holder = lease();
            boolean more = false;
            if (holder) {
                more = shipRecords(stopping);
            }
            shipAnchors();
            if (failing) {
                log.info("audit sink {} ({}) is taking records again", name, settings.target());
                failing = false;
            }
            return !holder ? Round.NOT_HOLDER : more ? Round.MORE : Round.IDLE;
        } catch (Exception e) {
            receiver.close();
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
            if (!failing) {
                log.warn("audit sink {} ({}) cannot take records now, they wait in the database: {}", name, settings.target(), why);
                failing = true;
            }
            try {
                repository.failed(name, why, clock.instant());
            } catch (RuntimeException database) {
                // the database is away too: the next round tries again
            }
            return Round.FAILED;
        }
    }

    private boolean lease() {
        Instant now = clock.instant();
        repository.ensure(name);
        return repository.lease(name, node, now, now.plus(settings.leaseDuration()));
    }

    /** Ships up to a batch per lane; true when a lane has more after it (the next round starts at once). */
    private boolean shipRecords(java.util.function.BooleanSupplier stopping) throws Exception {
        Map<String, Long> heads = feed.heads();
        Map<String, Long> cursors = repository.cursors(name);
        boolean more = false;
        for (Map.Entry<String, Long> lane : heads.entrySet()) {
            long cursor = cursors.getOrDefault(lane.getKey(), 0L);
            if (lane.getValue() <= cursor || stopping.getAsBoolean()) {
                continue;
            }
            List<AuditRecord> records = feed.after(lane.getKey(), cursor, settings.batchSize());
            if (records.isEmpty()) {
                continue;
            }
            List<StreamedMessage> batch = new ArrayList<>(records.size());
            records.forEach(record -> batch.add(StreamedMessage.of(record)));
            receiver.send(batch);
            long last = records.get(records.size() - 1).seq();
            repository.advance(name, lane.getKey(), last, clock.instant());
            more |= last < lane.getValue();
            lease(); // renewed after each batch, so a long catch-up keeps the sink
        }
        return more;
    }

    private void shipAnchors() throws Exception {
        if (anchors.isEmpty()) {
            return;
        }
        List<StreamedMessage> batch = new ArrayList<>(anchors);
        receiver.send(batch);
        batch.forEach(anchors::remove);
    }

    /** Gives up the lease so another node takes the sink over at once; closes the connection. */
    void stop() {
        receiver.close();
        try {
            repository.release(name, node);
        } catch (RuntimeException e) {
            // the lease runs out by itself
        }
    }

    Duration interval() {
        return settings.interval();
    }
}
