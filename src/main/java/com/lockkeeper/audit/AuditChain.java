package com.lockkeeper.audit;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

/** The hash that links a record to its predecessor in the same lane. */
final class AuditChain {

    static final byte[] GENESIS = new byte[32];

    private AuditChain() {
    }

    static byte[] hash(String lane, long seq, Instant at, String actor, String action, String target, String outcome,
            String detail, byte[] prevHash) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha256.update("lockkeeper-audit-v1".getBytes(StandardCharsets.UTF_8));
        field(sha256, lane);
        sha256.update(ByteBuffer.allocate(16).putLong(seq).putLong(at.getEpochSecond() * 1_000_000L + at.getNano() / 1000).array());
        field(sha256, actor);
        field(sha256, action);
        field(sha256, target);
        field(sha256, outcome);
        field(sha256, detail);
        sha256.update(prevHash);
        return sha256.digest();
    }

    static byte[] hash(AuditRecord r) {
        return hash(r.lane(), r.seq(), r.at(), r.actor(), r.action(), r.target(), r.outcome(), r.detail(), r.prevHash());
    }

    /**
     * The keyed form: the signer's MAC (HMAC-SHA256) over the same fields as {@link #hash}, under
     * its own prefix, with the key's id, so that nobody without the key can produce it.
     */
    static byte[] keyed(AuditKeys.AuditSigner signer, String lane, long seq, Instant at, String actor, String action,
            String target, String outcome, String detail, byte[] prevHash) {
        return signer.sign(keyedContent(signer.keyId(), lane, seq, at, actor, action, target, outcome, detail, prevHash));
    }

    static boolean keyedMatches(AuditKeys.AuditSigner signer, AuditRecord r) {
        return signer.keyId().equals(r.keyId()) && signer.verify(r.hash(), keyedContent(r.keyId(), r.lane(), r.seq(), r.at(),
                r.actor(), r.action(), r.target(), r.outcome(), r.detail(), r.prevHash()));
    }

    private static byte[] keyedContent(String keyId, String lane, long seq, Instant at, String actor, String action,
            String target, String outcome, String detail, byte[] prevHash) {
        java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream(256);
        content.writeBytes("lockkeeper-audit-v2".getBytes(StandardCharsets.UTF_8));
        field(content, keyId);
        field(content, lane);
        content.writeBytes(ByteBuffer.allocate(16).putLong(seq).putLong(at.getEpochSecond() * 1_000_000L + at.getNano() / 1000)
                .array());
        field(content, actor);
        field(content, action);
        field(content, target);
        field(content, outcome);
        field(content, detail);
        content.writeBytes(prevHash);
        return content.toByteArray();
    }

    private static void field(java.io.ByteArrayOutputStream content, String value) {
        if (value == null) {
            content.writeBytes(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        content.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
        content.writeBytes(bytes);
    }

    private static void field(MessageDigest digest, String value) {
        if (value == null) {
            digest.update(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
    }
}
