package com.lockkeeper.recovery;

import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.audit.Outcome;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.computers.ComputerSearch;
import com.lockkeeper.computers.KeyState;
import com.lockkeeper.computers.KeySummary;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.computers.StoredKey;
import com.lockkeeper.keys.RecordBinding;
import com.lockkeeper.keys.RecordIntegrityException;
import com.lockkeeper.keys.RecordOpener;
import com.lockkeeper.keys.SealedRecord;
import com.lockkeeper.lifecycle.Disclosures;
import com.lockkeeper.lifecycle.RecoveryEvent;
import java.time.Clock;
import java.util.Arrays;
import java.util.UUID;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The only way a recovery secret leaves the server: decrypted in memory, then the reveal is
 * audited and the key marked disclosed in one transaction, and only after that commit is the
 * secret returned. If the audit cannot be written, nothing is shown.
 */
public final class RevealService {

    private static final String RECOVERY_PASSWORD = "recovery password";
    private static final String KEY_PACKAGE = "key package";

    private final RecoveryKeyRepository keys;
    private final ComputerSearch search;
    private final RecordOpener opener;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Disclosures disclosures;
    private final Clock clock;
    private final RevealNotices notices;

    /** Runs first in a reveal's transaction, with the reveal's reference: it may stop the reveal (and roll it back) by throwing. */
    @FunctionalInterface
    interface Claim {
        Claim NONE = revealRef -> { };

        void claim(String revealRef);
    }

    RevealService(RecoveryKeyRepository keys, ComputerSearch search, RecordOpener opener, AuditLog audit,
            TransactionTemplate transactions, Disclosures disclosures, Clock clock, RevealNotices notices) {
        this.notices = notices;
        this.disclosures = disclosures;
        this.clock = clock;
        this.keys = keys;
        this.search = search;
        this.opener = opener;
        this.audit = audit;
        this.transactions = transactions;
    }

    public RecoveryPassword reveal(ProtectorId id, RevealRequest request, Actor actor) {
        return revealAs(AuditAction.REVEAL, id, request, actor);
    }

    /** A reveal audited under {@code action}: self-service reveals have their own, which its rate limit counts. */
    RecoveryPassword revealAs(AuditAction action, ProtectorId id, RevealRequest request, Actor actor) {
        return revealAs(action, id, request, actor, Claim.NONE);
    }

    /** A reveal whose {@code claim} (of an approval's grant, say) commits with it, or stops it. */
    RecoveryPassword revealAs(AuditAction action, ProtectorId id, RevealRequest request, Actor actor, Claim claim) {
        StoredKey key = stored(id);
        String detail = request.auditDetails(computerOf(id)).json();
        byte[] keyBytes = open(key.passwordBinding(), key.password(), action, actor, id);
        try {
            RecoveryPassword password = RecoveryPassword.fromKeyBytes(keyBytes);
            transactions.executeWithoutResult(tx -> {
                String ref = revealRef();
                claim.claim(ref);
                audit.record(AuditEntry.success(actor, action, "key " + id, detail));
                KeyState state = keys.stateOf(id).orElseThrow();
                disclosures.disclose(state, request.reason(), actor);
                disclosures.record(recoveryEvent(state, request, actor, RECOVERY_PASSWORD, ref));
                notify(id, request, actor, RECOVERY_PASSWORD);
            });
            return password;
        } finally {
            Arrays.fill(keyBytes, (byte) 0);
        }
    }

    /**
     * The key package (for repair-bde on a damaged disk), audited like a reveal. It is useless
     * without the recovery password, so it leaves the key's status alone.
     */
    public byte[] revealKeyPackage(ProtectorId id, RevealRequest request, Actor actor) {
        return revealKeyPackage(id, request, actor, Claim.NONE);
    }

    byte[] revealKeyPackage(ProtectorId id, RevealRequest request, Actor actor, Claim claim) {
        StoredKey key = stored(id);
        if (key.keyPackage() == null) {
            throw new KeyNotFoundException("the device escrowed no key package with recovery key " + id
                    + ": repair-bde needs the recovery password alone (-rp) then");
        }
        String detail = request.auditDetails(computerOf(id)).json();
        byte[] keyPackage = open(key.keyPackageBinding(), key.keyPackage(),
                AuditAction.REVEAL_KEY_PACKAGE, actor, id);
        try {
            transactions.executeWithoutResult(tx -> {
                String ref = revealRef();
                claim.claim(ref);
                audit.record(AuditEntry.success(actor, AuditAction.REVEAL_KEY_PACKAGE, "key " + id, detail));
                disclosures.record(recoveryEvent(keys.stateOf(id).orElseThrow(), request, actor, KEY_PACKAGE, ref));
                notify(id, request, actor, KEY_PACKAGE);
            });
        } catch (RuntimeException e) {
            Arrays.fill(keyPackage, (byte) 0);
            throw e;
        }
        return keyPackage;
    }

    /** The reveal in the computer's recovery timeline, with what the helpdesk recorded. */
    private RecoveryEvent recoveryEvent(KeyState key, RevealRequest request, Actor actor, String keyType, String ref) {
        return new RecoveryEvent(key.computerId(), key.volumeRowId(), key.protectorId().hex(), clock.instant(), source(request),
                null, null, null, request.reason(), null, null, null, request.notes(), actor.toString(),
                request.requester(), request.identityVerification(), keyType, ref);
    }

    /** The reference of one reveal: its recovery event's key, and what an approval used for it points to. */
    private static String revealRef() {
        return "reveal:" + UUID.randomUUID();
    }

    /** The key's associated users hear of the reveal; security officers too, when it was break glass. */
    private void notify(ProtectorId id, RevealRequest request, Actor actor, String keyType) {
        search.key(id).ifPresent(key -> {
            java.time.Instant now = clock.instant();
            notices.revealed(search.users(key.computerId()), key.computerName(), key.shortId(), request, actor, now);
            if (request.breakGlass() != null) {
                notices.breakGlass(key.computerName(), key.shortId(), keyType, request, actor, now);
            }
        });
    }

    /** Self-service, the helpdesk's JSON API, or the helpdesk's web pages, from the channel the caller named. */
    static String source(RevealRequest request) {
        String channel = request.channel() == null ? "" : request.channel();
        if (channel.startsWith("self-service")) {
            return RecoveryEvent.SELF_SERVICE;
        }
        return channel.contains("-api") ? RecoveryEvent.API : RecoveryEvent.HELPDESK;
    }

    private StoredKey stored(ProtectorId id) {
        StoredKey key = keys.byProtectorId(id).orElseThrow(() -> new KeyNotFoundException(
                "no recovery key has the ID " + id + ": check the ID on the recovery screen, or search by computer name"));
        keys.purgedAt(id).ifPresent(purgedAt -> {
            throw new KeyNotFoundException("recovery key " + id + " was purged on " + purgedAt
                    + " under the retention policy (its computer was retired): its password is no longer held."
                    + " The audit log (action key.purge) says why; the computer's other keys may still be held");
        });
        return key;
    }

    private String computerOf(ProtectorId id) {
        return search.key(id).map(KeySummary::computerName).orElse(null);
    }

    private byte[] open(RecordBinding binding, SealedRecord sealed, AuditAction action, Actor actor, ProtectorId id) {
        opener.confirmOpen(); // a node unregistered a moment ago by an admin command must not reveal any more
        try {
            return opener.open(binding, sealed);
        } catch (RecordIntegrityException e) {
            audit.record(AuditEntry.of(actor, action, "key " + id, Outcome.FAILURE,
                    RevealDetails.notRevealed("the sealed record does not open", null, null, null, null).json()));
            throw e;
        }
    }
}
