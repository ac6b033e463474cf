package com.lockkeeper.keys;

/** This node cannot decrypt: it has no usable DMK registration. The message says what to run. */
public final class NodeSealedException extends KeyCeremonyException {

    public NodeSealedException(String message) {
        super(message);
    }
}
