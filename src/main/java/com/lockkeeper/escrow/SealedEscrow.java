package com.lockkeeper.escrow;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
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

    @Override
    public String toString() {
        return "SealedEscrow[" + command.recoveryPasswordId() + "]";
    }
}
