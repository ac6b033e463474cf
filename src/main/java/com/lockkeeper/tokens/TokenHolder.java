package com.lockkeeper.tokens;

/**
 * Who presented a valid token: a device (enrollment token) or a person (personal token of local
 * user {@code userId}, or of directory user {@code directoryUser}).
 */
public record TokenHolder(long tokenId, String tokenName, String kind, Long userId, String directoryUser) {

    public boolean device() {
        return ApiTokens.ENROLLMENT.equals(kind);
    }

    public boolean personal() {
        return ApiTokens.PERSONAL.equals(kind) && (userId != null || directoryUser != null);
    }
}
