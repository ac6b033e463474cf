package com.lockkeeper.keys;

/** Opens sealed secrets; needs an open node. Thread-safe. */
public interface RecordOpener {

    /**
     * @throws NodeSealedException when this node cannot decrypt (the message says what to run)
     * @throws RecordIntegrityException when the record was altered or moved
     */
    byte[] open(RecordBinding binding, SealedRecord record);

    /**
     * Checks in the database that this node is still entitled to open records (its DMK
     * registration is unchanged); if not, it is sealed from now on, whatever it had cached.
     * Call it before showing a secret to a person.
     */
    void confirmOpen();
}
