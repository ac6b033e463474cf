package com.lockkeeper.tokens;

/** A token just created: the only moment its secret exists outside the device that holds it. */
public record IssuedToken(long id, String name, String secret) {

    @Override
    public String toString() {
        return "IssuedToken[" + id + ", " + name + ", secret redacted]";
    }
}
