package com.lockkeeper.lifecycle;

import java.time.Instant;

/**
 * One recovery in a computer's timeline: an event from the device's own logs (source
 * {@code device}) or a reveal by the helpdesk, self-service or the API. Optional fields are null.
 * Never holds a secret.
 */
public record RecoveryEvent(long computerId, Long volumeRowId, String protectorIdHex, Instant occurredAt, String source,
        String eventLog, Integer eventId, String unlockedBy, String recoveryReason, String protectionMode, String pcrProfile,
        String firmwareVersion, String message, String actor, String requester, String identityVerification, String keyType,
        String dedupKey) {

    public static final String DEVICE = "device";
    public static final String HELPDESK = "helpdesk";
    public static final String SELF_SERVICE = "self-service";
    public static final String API = "api";
}
