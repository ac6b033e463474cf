package com.lockkeeper.escrow;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.computers.StoredKey;
import com.lockkeeper.keys.RecordBinding;
import com.lockkeeper.keys.RecordSealer;
import com.lockkeeper.keys.SealedRecord;
import java.security.MessageDigest;
import java.util.Arrays;

/** An escrow with its secrets sealed (and the plaintext key bytes wiped): all that is written to the database. */
record SealedEscrow(EscrowCommand command, byte[] fingerprint, SealedRecord password, SealedRecord keyPackage) {

    static SealedEscrow seal(EscrowCommand command, RecordSealer sealer) {
        RecordBinding binding = RecordBinding.recoveryPassword(command.recoveryPasswordId(), command.volumeId());
        byte[] keyBytes = command.recoveryPassword().keyBytes();
        try {
            SealedRecord keyPackage = command.keyPackage() == null ? null
                    : sealer.seal(RecordBinding.keyPackage(command.recoveryPasswordId(), command.volumeId()), command.keyPackage());
            return new SealedEscrow(command, sealer.fingerprint(binding, keyBytes), sealer.seal(binding, keyBytes), keyPackage);
        } finally {
            Arrays.fill(keyBytes, (byte) 0);
        }
    }

    ProtectorId id() {
        return command.recoveryPasswordId();
    }

    /** The same key as this one: same volume, same password (compared by fingerprint, in constant time). */
    boolean sameKey(VolumeId volume, byte[] otherFingerprint) {
        return otherFingerprint != null && command.volumeId().equals(volume) && MessageDigest.isEqual(fingerprint, otherFingerprint);
    }

    /**
     * The same key as this stored one. A key imported without its volume and attached to it later
     * is bound to the placeholder it was sealed with: the same password escrowed under the real
     * volume is compared under that binding.
     */
    boolean sameKey(StoredKey stored, RecordSealer sealer) {
        if (stored.sealedTo().equals(command.volumeId())) {
            return sameKey(stored.sealedTo(), stored.fingerprint());
        }
        if (!stored.volumeId().equals(command.volumeId())) {
            return false;
        }
        byte[] keyBytes = command.recoveryPassword().keyBytes();
        try {
            return MessageDigest.isEqual(sealer.fingerprint(RecordBinding.recoveryPassword(id(), stored.sealedTo()), keyBytes),
                    stored.fingerprint());
        } finally {
            Arrays.fill(keyBytes, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "SealedEscrow[" + command.recoveryPasswordId() + "]";
    }
}
