package com.lockkeeper.keys;

import com.google.crypto.tink.Aead;
import com.lockkeeper.keys.KeyRepository.StoredEpoch;
import io.micrometer.core.instrument.Counter;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Opens records: one HPKE open per epoch (then cached), one AES-GCM decryption per record. */
final class EpochOpener implements RecordOpener {

    private static final int CACHED_EPOCHS = 1024;

    private final Barrier barrier;
    private final KeyRepository repository;
    private final Map<UUID, Aead> epochKeys = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Aead> eldest) {
            return size() > CACHED_EPOCHS;
        }
    };

    private long cachedGeneration;

    /** Counts each epoch key opened through the datakey ({@code lockkeeper_epoch_keys_opened_total}); cached ones are not. */
    private final Counter opened;

    EpochOpener(Barrier barrier, KeyRepository repository, Counter opened) {
        this.barrier = barrier;
        this.repository = repository;
        this.opened = opened;
    }

    @Override
    public byte[] open(RecordBinding binding, SealedRecord record) {
        if (record.formatVersion() != EpochSealer.FORMAT_VERSION) {
            throw new RecordIntegrityException("the sealed " + binding.field() + " of " + binding.protectorId()
                    + " has unknown format version " + record.formatVersion());
        }
        Aead epochKey = epochKey(record.epochId(), binding);
        try {
            return epochKey.decrypt(record.ciphertext(), binding.associatedData(record.formatVersion()));
        } catch (GeneralSecurityException e) {
            throw new RecordIntegrityException("the sealed " + binding.field() + " of " + binding.protectorId()
                    + " does not decrypt: it was altered or does not belong to this record");
        }
    }

    /** Drops cached epoch keys, for instance after a re-encryption made them useless. */
    synchronized void forget() {
        epochKeys.clear();
    }

    @Override
    public void confirmOpen() {
        barrier.confirmRegistration();
    }

    private Aead epochKey(UUID epochId, RecordBinding binding) {
        long generation = barrier.generation();
        synchronized (this) {
            if (generation != cachedGeneration) {
                epochKeys.clear(); // the barrier closed or changed since these were opened
                cachedGeneration = generation;
            }
            Aead cached = epochKeys.get(epochId);
            if (cached != null) {
                return cached;
            }
        }
        StoredEpoch epoch = repository.epoch(epochId).orElseThrow(() -> new RecordIntegrityException(
                "the seal epoch " + epochId + " of " + binding.protectorId() + " is missing from the database"));
        Aead aead = openEpoch(epoch);
        opened.increment();
        synchronized (this) {
            if (generation == cachedGeneration) {
                epochKeys.put(epochId, aead);
            }
        }
        return aead;
    }

    private Aead openEpoch(StoredEpoch epoch) {
        byte[] key = null;
        try {
            key = decryptEpochKey(epoch);
            return Keysets.aesGcm(key);
        } finally {
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    private byte[] decryptEpochKey(StoredEpoch epoch) {
        byte[] context = Keysets.ad(Bindings.epoch(epoch.id()));
        try {
            return barrier.openSealedToDatakey(epoch.sealedKey(), context);
        } catch (GeneralSecurityException e) {
            throw new RecordIntegrityException("the seal epoch " + epoch.id()
                    + " does not open with the datakey: it was altered, or sealed under a key version"
                    + " this keyset lacks (import the datakey export that has it)");
        }
    }
}
