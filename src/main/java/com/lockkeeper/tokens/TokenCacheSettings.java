package com.lockkeeper.tokens;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code lockkeeper.api.token-cache}: how long a node may answer a bearer token, enrollment token
 * or device credential from memory, without the database: at most one second, so that a
 * revocation made on another node takes effect on this one within that time (on the node that
 * revokes it takes effect at once). {@code 0}: every call is looked up.
 */
@ConfigurationProperties("lockkeeper.api")
public record TokenCacheSettings(@DefaultValue("500ms") Duration tokenCache) {

    public TokenCacheSettings {
        if (tokenCache.isNegative() || tokenCache.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("lockkeeper.api.token-cache is at most 1s (a revocation takes effect on every node"
                    + " within it); it is " + tokenCache);
        }
    }
}
