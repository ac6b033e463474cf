package com.lockkeeper.keys;

import java.util.UUID;

/** A secret as stored: format version, the epoch whose key sealed it, and the ciphertext. */
public record SealedRecord(int formatVersion, UUID epochId, byte[] ciphertext) {

    @Override
    public String toString() {
        return "SealedRecord[v" + formatVersion + ", epoch " + epochId + ", " + ciphertext.length + " bytes]";
    }
}
