package com.lockkeeper.keys;

/** Opens sealed secrets; needs an open node. Thread-safe. */
public interface RecordOpener {

    /**
     * @throws NodeSealedException when this node cannot decrypt (the message says what to run)
     * @throws RecordIntegrityException when the record was altered or moved
     */
    byte[] open(RecordBinding binding, SealedRecord record);
}
