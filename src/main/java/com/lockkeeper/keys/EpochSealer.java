package com.lockkeeper.keys;

import com.google.crypto.tink.Aead;
import com.lockkeeper.keys.KeyRepository.StoredEpoch;
import com.lockkeeper.keys.Barrier.PublicHalf;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Seals records under short-lived epoch keys. Each epoch key is AES-256-GCM, sealed to the
 * public half with HPKE and committed before any row uses it; the key itself stays only in
 * memory and is dropped when the epoch ends (by age or by row count, whichever comes first).
 */
final class EpochSealer implements RecordSealer {

    static final int FORMAT_VERSION = 1;

    /** One live epoch: its id, its key (in memory only) and how much it has been used. */
    static final class Epoch {
        final UUID id;
        final Instant endsAt;
        final Aead aead;
        private final int maxRows;
        private final AtomicInteger rows = new AtomicInteger();

        Epoch(UUID id, Instant endsAt, Aead aead, int maxRows) {
            this.id = id;
            this.endsAt = endsAt;
            this.aead = aead;
            this.maxRows = maxRows;
        }

        boolean tryUse(Instant now) {
            return now.isBefore(endsAt) && rows.incrementAndGet() <= maxRows;
        }

        boolean over(Instant now) {
            return !now.isBefore(endsAt) || rows.get() >= maxRows;
        }

        @Override
        public String toString() {
            return "Epoch[" + id + "]";
        }
    }

    private final Barrier barrier;
    private final KeyRepository repository;
    private final TransactionTemplate newTransaction;
    private final Clock clock;
    private final SecureRandom random;
    private final Duration maxAge;
    private final int maxRows;
    private volatile Epoch current;

    EpochSealer(Barrier barrier, KeyRepository repository, TransactionTemplate transactions, Clock clock,
            SecureRandom random, Duration maxAge, int maxRows) {
        this.barrier = barrier;
        this.repository = repository;
        this.newTransaction = new TransactionTemplate(transactions.getTransactionManager());
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
        this.random = random;
        this.maxAge = maxAge;
        this.maxRows = maxRows;
    }

    @Override
    public SealedRecord seal(RecordBinding binding, byte[] secret) {
        Epoch epoch = acquire();
        try {
            return new SealedRecord(FORMAT_VERSION, epoch.id, epoch.aead.encrypt(secret, binding.associatedData(FORMAT_VERSION)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    @Override
    public byte[] fingerprint(RecordBinding binding, byte[] secret) {
        return fingerprintOf(binding, secret);
    }

    /**
     * The fingerprint of a secret sealed in this format: SHA-256 over the record's associated
     * data, a zero byte and the secret. Devices compute the same value as their check-in's
     * verifier ({@link RecoveryPasswordVerifier}).
     */
    static byte[] fingerprintOf(RecordBinding binding, byte[] secret) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(binding.associatedData(FORMAT_VERSION));
            sha256.update((byte) 0);
            sha256.update(secret);
            return sha256.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ends the current epoch if it is over, so its key does not outlive it in an idle server. */
    void expire() {
        Epoch epoch = current;
        if (epoch != null && epoch.over(clock.instant())) {
            synchronized (this) {
                if (current == epoch) {
                    current = null;
                }
            }
        }
    }

    /** For tests in this package: the live epoch, if any. */
    Epoch currentEpoch() {
        return current;
    }

    private Epoch acquire() {
        Epoch epoch = current;
        if (epoch != null && epoch.tryUse(clock.instant())) {
            return epoch;
        }
        synchronized (this) {
            epoch = current;
            if (epoch != null && epoch.tryUse(clock.instant())) {
                return epoch;
            }
            current = null;
            Epoch fresh = startEpoch();
            fresh.tryUse(clock.instant());
            current = fresh;
            return fresh;
        }
    }

    private Epoch startEpoch() {
        PublicHalf publicHalf = barrier.currentPublicHalf();
        UUID id = UUID.randomUUID();
        Instant now = clock.instant();
        byte[] key = new byte[32];
        random.nextBytes(key);
        try {
            byte[] sealed = publicHalf.encrypt().encrypt(key, Keysets.ad(Bindings.epoch(id)));
            StoredEpoch stored = new StoredEpoch(id, barrier.nodeName(), now, publicHalf.primaryKeyId(), sealed);
            newTransaction.executeWithoutResult(tx -> repository.insertEpoch(stored));
            return new Epoch(id, now.plus(maxAge), Keysets.aesGcm(key), maxRows);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HPKE sealing of an epoch key failed", e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }
}
