package com.lockkeeper.audit;

import java.util.Optional;

/**
 * The keys that make the audit chain unforgeable. Each node keys its records' hashes with an
 * audit key of its own, kept beside its node key (so a sealed node still audits) and in the
 * database only sealed to the datakey's public half (so any open node can check every lane, and
 * the database alone can forge nothing). Implemented where the crypto lives, in {@code keys}.
 */
public interface AuditKeys {

    /** This node's key for new records; empty while the installation has no datakey yet (its very first records). */
    Optional<AuditSigner> signer();

    /** The key a record names, to check it with. */
    Lookup lookup(String keyId);

    /**
     * Since when {@code nodeName} keys its records, if it does: an unkeyed record that node wrote
     * later was rewritten by someone without its key.
     */
    Optional<java.time.Instant> keyedSince(String nodeName);

    /** What a key lookup found. */
    sealed interface Lookup {

        /** The key: the record can be checked. */
        record Found(AuditSigner signer) implements Lookup {
        }

        /** No such key in the database: the record's key was removed, or the record invented. */
        record Unknown() implements Lookup {
        }

        /** The key exists but this node cannot open it (it is sealed): check on an open node. */
        record Unopenable(String why) implements Lookup {
        }
    }

    /** A key that signs and checks audit hashes. It never shows its key. */
    interface AuditSigner {

        String keyId();

        byte[] sign(byte[] data);

        boolean verify(byte[] signature, byte[] data);
    }
}
