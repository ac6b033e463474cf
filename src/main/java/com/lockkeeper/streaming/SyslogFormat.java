package com.lockkeeper.streaming;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * RFC 5424 syslog messages, framed by octet counting (RFC 6587 3.4.1: the message's length in
 * bytes, a space, the message). The structured data carries the chain (lane, sequence number,
 * hashes) so a receiver can check it without parsing the message; the message is the record as
 * JSON, UTF-8 with the BOM RFC 5424 asks for.
 */
final class SyslogFormat {

    /** The structured data's id: private enterprise number 32473 is the one set aside for examples and documentation. */
    static final String SD_ID = "lockkeeper@32473";
    private static final String APP_NAME = "lockkeeper";
    private static final String BOM = "\uFEFF";

    private SyslogFormat() {
    }

    static byte[] frame(StreamedMessage message, int facility) {
        byte[] syslog = message(message, facility).getBytes(StandardCharsets.UTF_8);
        byte[] length = (syslog.length + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] framed = new byte[length.length + syslog.length];
        System.arraycopy(length, 0, framed, 0, length.length);
        System.arraycopy(syslog, 0, framed, length.length, syslog.length);
        return framed;
    }

    static String message(StreamedMessage message, int facility) {
        int severity = message.audit() ? severity(message.record().outcome()) : 6;
        StringBuilder line = new StringBuilder(512);
        line.append('<').append(facility * 8 + severity).append(">1 ")
                .append(message.time()).append(' ')
                .append(token(message.node(), 255)).append(' ')
                .append(APP_NAME).append(" - ")
                .append(token(message.audit() ? message.record().action() : "audit.anchor", 32)).append(' ')
                .append('[').append(SD_ID);
        param(line, "type", message.type());
        param(line, "lane", message.lane());
        param(line, "seq", Long.toString(message.seq()));
        if (message.audit()) {
            param(line, "prevHash", HexFormat.of().formatHex(message.record().prevHash()));
            param(line, "hash", HexFormat.of().formatHex(message.record().hash()));
            param(line, "outcome", message.record().outcome());
        } else {
            param(line, "hash", HexFormat.of().formatHex(message.hash()));
        }
        line.append("] ").append(BOM).append(message.json());
        return line.toString();
    }

    /** info for a success, notice for a refusal, warning for a failure. */
    private static int severity(String outcome) {
        return switch (outcome) {
            case "refused" -> 5;
            case "failure" -> 4;
            default -> 6;
        };
    }

    private static void param(StringBuilder line, String name, String value) {
        line.append(' ').append(name).append("=\"");
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\' || c == ']') {
                line.append('\\');
            }
            line.append(c);
        }
        line.append('"');
    }

    /** A header field: printable US-ASCII without spaces, at most {@code max} characters, "-" if empty. */
    private static String token(String value, int max) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (out.length() == max) {
                break;
            }
            out.append(c > 32 && c < 127 ? c : '_');
        }
        return out.isEmpty() ? "-" : out.toString();
    }
}
