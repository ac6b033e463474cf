package com.lockkeeper.keys;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.HybridDecrypt;
import com.lockkeeper.keys.KeyRepository.StoredEpoch;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Opens records for one key ceremony (an export to a public key) with a private half opened just
 * for it, by the DMK password or this node's registration; dropped when the ceremony ends.
 */
final class CeremonyOpener implements RecordOpener {

    private final KeyRepository repository;
    private final HybridDecrypt datakey;
    private final Map<UUID, Aead> epochKeys = new HashMap<>();

    CeremonyOpener(KeyRepository repository, HybridDecrypt datakey) {
        this.repository = repository;
        this.datakey = datakey;
    }

    @Override
    public byte[] open(RecordBinding binding, SealedRecord record) {
        if (record.formatVersion() != EpochSealer.FORMAT_VERSION) {
            throw new RecordIntegrityException("the sealed " + binding.field() + " of " + binding.protectorId()
                    + " has unknown format version " + record.formatVersion());
        }
        Aead epochKey = epochKeys.computeIfAbsent(record.epochId(), id -> openEpoch(id, binding));
        try {
            return epochKey.decrypt(record.ciphertext(), binding.associatedData(record.formatVersion()));
        } catch (GeneralSecurityException e) {
            throw new RecordIntegrityException("the sealed " + binding.field() + " of " + binding.protectorId()
                    + " does not decrypt: it was altered or does not belong to this record");
        }
    }

    @Override
    public void confirmOpen() {
        // opened for this ceremony only, by its own password or registration check
    }

    private Aead openEpoch(UUID id, RecordBinding binding) {
        StoredEpoch epoch = repository.epoch(id).orElseThrow(() -> new RecordIntegrityException(
                "the seal epoch " + id + " of " + binding.protectorId() + " is missing from the database"));
        byte[] key = null;
        try {
            key = datakey.decrypt(epoch.sealedKey(), Keysets.ad(Bindings.epoch(id)));
            return Keysets.aesGcm(key);
        } catch (GeneralSecurityException e) {
            throw new RecordIntegrityException("the seal epoch " + id + " does not open with the datakey");
        } finally {
            if (key != null) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }
}
