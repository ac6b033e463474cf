package com.lockkeeper.recovery;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.computers.StoredKey;
import com.lockkeeper.keys.Barrier;
import com.lockkeeper.keys.NodeSealedException;
import com.lockkeeper.keys.NodeState;
import com.lockkeeper.keys.RecordIntegrityException;
import com.lockkeeper.keys.RecordOpener;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * `lockkeeper verify`: Configuration Manager's "decrypt the top 5 rows by LastUpdateTime" on this node.
 * Counts what decrypts; never returns a password.
 */
public final class KeyVerification {

    public static final int DEFAULT_SAMPLE = 5;

    /** Which keys were tried and which failed, with why. */
    public record Result(NodeState node, int checked, int decrypted, List<String> failures) {

        public boolean passed() {
            return node.open() && decrypted == checked;
        }
    }

    private final RecoveryKeyRepository keys;
    private final RecordOpener opener;
    private final Barrier barrier;
    private final AuditLog audit;

    KeyVerification(RecoveryKeyRepository keys, RecordOpener opener, Barrier barrier, AuditLog audit) {
        this.keys = keys;
        this.opener = opener;
        this.barrier = barrier;
        this.audit = audit;
    }

    public Result verify(int sample, Actor actor) {
        NodeState node = barrier.state();
        if (!node.open()) {
            audit.record(AuditEntry.refused(actor, AuditAction.KEYS_VERIFY, "node " + node.nodeName(), "sealed"));
            return new Result(node, 0, 0, List.of());
        }
        List<StoredKey> latest = keys.latestEscrowed(sample);
        List<String> failures = new ArrayList<>();
        int decrypted = 0;
        for (StoredKey key : latest) {
            byte[] keyBytes = null;
            try {
                keyBytes = opener.open(key.passwordBinding(), key.password());
                RecoveryPassword.fromKeyBytes(keyBytes);
                decrypted++;
            } catch (RecordIntegrityException | NodeSealedException | IllegalArgumentException e) {
                failures.add(key.protectorId() + ": " + e.getMessage());
            } finally {
                if (keyBytes != null) {
                    Arrays.fill(keyBytes, (byte) 0);
                }
            }
        }
        audit.record(AuditEntry.success(actor, AuditAction.KEYS_VERIFY, "node " + node.nodeName(),
                decrypted + " of " + latest.size() + " recovery passwords decrypted"));
        return new Result(node, latest.size(), decrypted, failures);
    }
}
