package com.lockkeeper.recovery;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.computers.StoredKey;
import com.lockkeeper.keys.RecordBinding;
import com.lockkeeper.keys.RecordIntegrityException;
import com.lockkeeper.keys.RecordOpener;
import java.util.Arrays;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The only way a recovery password leaves the server: decrypted in memory, then the reveal is
 * audited and the key marked disclosed in one transaction, and only after that commit is the
 * password returned. If the audit cannot be written, nothing is shown.
 */
public final class RevealService {

    private final RecoveryKeyRepository keys;
    private final RecordOpener opener;
    private final AuditLog audit;
    private final TransactionTemplate transactions;

    RevealService(RecoveryKeyRepository keys, RecordOpener opener, AuditLog audit, TransactionTemplate transactions) {
        this.keys = keys;
        this.opener = opener;
        this.audit = audit;
        this.transactions = transactions;
    }

    public RecoveryPassword reveal(ProtectorId id, RevealRequest request, Actor actor) {
        StoredKey key = keys.byProtectorId(id).orElseThrow(() -> new KeyNotFoundException(
                "no recovery key has the ID " + id + ": check the ID on the recovery screen, or search by computer name"));
        RecoveryPassword password = open(key, actor);
        transactions.executeWithoutResult(tx -> {
            audit.record(AuditEntry.success(actor, "reveal", "key " + id, request.auditDetail()));
            keys.markDisclosed(key.id());
        });
        return password;
    }

    private RecoveryPassword open(StoredKey key, Actor actor) {
        byte[] keyBytes = null;
        try {
            keyBytes = opener.open(RecordBinding.recoveryPassword(key.protectorId(), key.volumeId()), key.password());
            return RecoveryPassword.fromKeyBytes(keyBytes);
        } catch (RecordIntegrityException e) {
            audit.record(new AuditEntry(actor, "reveal", "key " + key.protectorId(), com.lockkeeper.audit.Outcome.FAILURE,
                    "the sealed record does not open"));
            throw e;
        } finally {
            if (keyBytes != null) {
                Arrays.fill(keyBytes, (byte) 0);
            }
        }
    }
}
