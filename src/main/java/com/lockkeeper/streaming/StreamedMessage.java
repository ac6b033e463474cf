package com.lockkeeper.streaming;

import com.lockkeeper.audit.AuditRecord;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a sink receives: an audit record with its place in its lane's chain (lane, sequence number,
 * the previous record's hash and its own), or an anchor (a lane's head as the node that writes the
 * lane knows it, from memory rather than the database). The JSON form is the same for every sink.
 */
record StreamedMessage(String type, String lane, long seq, Instant at, AuditRecord record, byte[] hash, String node) {

    static final String AUDIT = "audit";
    static final String ANCHOR = "anchor";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static StreamedMessage of(AuditRecord record) {
        return new StreamedMessage(AUDIT, record.lane(), record.seq(), record.at(), record, record.hash(), nodeOf(record.lane()));
    }

    static StreamedMessage anchor(String lane, long seq, byte[] hash, Instant at, String node) {
        return new StreamedMessage(ANCHOR, lane, seq, at, null, hash, node);
    }

    /** The node that writes a lane: the part of its name before the first '/'. */
    static String nodeOf(String lane) {
        int slash = lane.indexOf('/');
        return slash < 0 ? lane : lane.substring(0, slash);
    }

    boolean audit() {
        return record != null;
    }

    /** RFC 3339 with microseconds, as stored. */
    String time() {
        return DateTimeFormatter.ISO_INSTANT.format(at);
    }

    Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", type);
        fields.put("lane", lane);
        fields.put("seq", seq);
        fields.put("at", time());
        if (record != null) {
            fields.put("actor", record.actor());
            fields.put("action", record.action());
            fields.put("target", record.target());
            fields.put("outcome", record.outcome());
            fields.put("detail", record.detail());
            fields.put("prevHash", HexFormat.of().formatHex(record.prevHash()));
            fields.put("hash", HexFormat.of().formatHex(record.hash()));
            fields.put("keyId", record.keyId());
            fields.put("chain", record.keyed() ? "hmac-sha256" : "sha256");
        } else {
            fields.put("hash", HexFormat.of().formatHex(hash));
        }
        fields.put("node", node);
        return fields;
    }

    String json() {
        return JSON.writeValueAsString(fields());
    }

    static String json(Map<String, Object> fields) {
        return JSON.writeValueAsString(fields);
    }
}
