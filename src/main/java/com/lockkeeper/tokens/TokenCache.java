package com.lockkeeper.tokens;

import com.lockkeeper.support.CredentialChanges;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.springframework.security.core.Authentication;

/**
 * Who a bearer secret authenticated as, remembered for a short time (at most a second,
 * {@link TokenCacheSettings}) so that a client calling many times a second costs one lookup,
 * not one per call. Keyed by the secret's SHA-256, never the secret. An entry is forgotten when
 * it expires, or at once when this node changes any credential ({@link CredentialChanges}).
 * Only successful lookups are kept: an unknown or revoked secret is looked up every time.
 */
public final class TokenCache {

    /** Beyond this many secrets in a moment, the cache is emptied rather than grown. */
    static final int MAX_ENTRIES = 10_000;

    private record Entry(Authentication authentication, long generation, long expiresAt) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final CredentialChanges changes;
    private final long lifetimeNanos;
    private final LongSupplier nanoTime;

    TokenCache(CredentialChanges changes, Duration lifetime, LongSupplier nanoTime) {
        this.changes = changes;
        this.lifetimeNanos = lifetime.toNanos();
        this.nanoTime = nanoTime;
    }

    public TokenCache(CredentialChanges changes, TokenCacheSettings settings) {
        this(changes, settings.tokenCache(), System::nanoTime);
    }

    boolean enabled() {
        return lifetimeNanos > 0;
    }

    /** The generation to store a lookup under: read it before the lookup, so that a change during the lookup is not missed. */
    long generation() {
        return changes.generation();
    }

    Optional<Authentication> get(byte[] hash) {
        if (!enabled()) {
            return Optional.empty();
        }
        String key = key(hash);
        Entry entry = entries.get(key);
        if (entry == null) {
            return Optional.empty();
        }
        if (entry.generation() != changes.generation() || nanoTime.getAsLong() - entry.expiresAt() >= 0) {
            entries.remove(key, entry);
            return Optional.empty();
        }
        return Optional.of(entry.authentication());
    }

    void put(byte[] hash, Authentication authentication, long generation) {
        if (!enabled()) {
            return;
        }
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        entries.put(key(hash), new Entry(authentication, generation, nanoTime.getAsLong() + lifetimeNanos));
    }

    private static String key(byte[] hash) {
        return new String(hash, StandardCharsets.ISO_8859_1);
    }
}
