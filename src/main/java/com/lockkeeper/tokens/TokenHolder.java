package com.lockkeeper.tokens;

/** Who presented a valid token. */
public record TokenHolder(long tokenId, String tokenName, String kind) {

    public boolean device() {
        return ApiTokens.ENROLLMENT.equals(kind);
    }
}
