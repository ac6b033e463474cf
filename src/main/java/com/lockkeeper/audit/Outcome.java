package com.lockkeeper.audit;

public enum Outcome {
    SUCCESS, REFUSED, FAILURE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
