package com.lockkeeper.recovery;

import com.lockkeeper.audit.AuditDetails;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The detail of a reveal's audit record, or of a refused or failed one: the computer, the role of
 * whoever asked, the caller and how they were verified, the reason with notes, a justification,
 * the channel and client address, {@code why} a reveal did not happen, the {@code approval} it
 * used (request and approver) or the justification of a {@code breakGlass} reveal without one. Stored as JSON; never
 * holds a secret.
 */
public record RevealDetails(String computer, String role, String requester, String identity, String reason, String notes,
        String justification, String channel, String client, String why, String approval, String breakGlass) {

    private static final Pattern TEXT_FIELD = Pattern.compile("(?:^|; )([a-z]+): ([^;]*)");
    private static final String NOT_ASSOCIATED = " is not an associated user";

    public RevealDetails {
        computer = clean(computer);
        role = clean(role);
        requester = clean(requester);
        identity = clean(identity);
        reason = clean(reason);
        notes = clean(notes);
        justification = clean(justification);
        channel = clean(channel);
        client = clean(client);
        why = clean(why);
        approval = clean(approval);
        breakGlass = clean(breakGlass);
    }

    /** A reveal that did not happen, and why. */
    static RevealDetails notRevealed(String why, String computer, String requester, String role, String client) {
        return new RevealDetails(computer, role, requester, null, null, null, null, null, client, why, null, null);
    }

    /** As stored: JSON, its longest values shortened if the whole would not fit the column. */
    public String json() {
        return AuditDetails.json(this);
    }

    /**
     * The details of a stored record. Records written before details were JSON hold
     * "name: value; name: value" text: its fields are read by name, the caller's account without
     * " is not an associated user", and the whole text is {@code why}, as those records said it in words.
     */
    public static RevealDetails read(String stored) {
        return AuditDetails.read(stored, RevealDetails.class).orElseGet(() -> fromText(stored));
    }

    private static RevealDetails fromText(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = TEXT_FIELD.matcher(text == null ? "" : text);
        while (m.find()) {
            fields.putIfAbsent(m.group(1), m.group(2).strip());
        }
        String requester = fields.get("requester");
        if (requester != null && requester.endsWith(NOT_ASSOCIATED)) {
            requester = requester.substring(0, requester.length() - NOT_ASSOCIATED.length());
        }
        return new RevealDetails(fields.get("computer"), fields.get("role"), requester, fields.get("identity"), fields.get("reason"),
                fields.get("notes"), fields.get("justification"), fields.get("channel"), fields.get("client"), text, null, null);
    }

    /** Stripped, blank as none, control characters typed into free text as spaces (one record per line in any export). */
    private static String clean(String value) {
        return value == null || value.isBlank() ? null : value.strip().replaceAll("\\p{Cntrl}", " ");
    }
}
