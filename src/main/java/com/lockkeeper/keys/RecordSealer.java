package com.lockkeeper.keys;

/**
 * Seals secrets for storage using only the public half of the datakey, so it
 * works on a sealed node. Thread-safe.
 */
public interface RecordSealer {

    SealedRecord seal(RecordBinding binding, byte[] secret);

    /**
     * A commitment to the secret, bound to its record, to tell an identical re-escrow from a
     * conflicting one without decrypting. Only meaningful for high-entropy secrets.
     */
    byte[] fingerprint(RecordBinding binding, byte[] secret);
}
