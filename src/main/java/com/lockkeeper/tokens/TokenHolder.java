package com.lockkeeper.tokens;

/** Who presented a valid token: a device (enrollment token) or a person (personal token of user {@code userId}). */
public record TokenHolder(long tokenId, String tokenName, String kind, Long userId) {

    public boolean device() {
        return ApiTokens.ENROLLMENT.equals(kind);
    }

    public boolean personal() {
        return ApiTokens.PERSONAL.equals(kind) && userId != null;
    }
}
