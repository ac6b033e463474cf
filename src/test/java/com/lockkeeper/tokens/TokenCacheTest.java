package com.lockkeeper.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.support.BearerSecrets;
import com.lockkeeper.support.CredentialChanges;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** What the token cache remembers, and when it forgets: at its lifetime, and at any credential change on this node. */
class TokenCacheTest {

    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final CredentialChanges changes = new CredentialChanges();
    final TokenCache cache = new TokenCache(changes, Duration.ofMillis(500), now::get);
    final byte[] hash = BearerSecrets.hash("lkp_example");
    final Authentication someone = UsernamePasswordAuthenticationToken.authenticated("someone", null, List.of());

    @Test
    void anEntryLivesForTheCacheLifetimeOnly() {
        cache.put(hash, someone, cache.generation());
        now.addAndGet(Duration.ofMillis(499).toNanos());
        assertThat(cache.get(hash)).contains(someone);
        now.addAndGet(Duration.ofMillis(1).toNanos());
        assertThat(cache.get(hash)).isEmpty();
    }

    @Test
    void aCredentialChangeOnThisNodeForgetsEverythingAtOnce() {
        cache.put(hash, someone, cache.generation());
        changes.changed();
        assertThat(cache.get(hash)).isEmpty();
    }

    @Test
    void aLookupThatRanWhileACredentialChangedIsNotRemembered() {
        long before = cache.generation();
        changes.changed(); // a revocation commits while the lookup reads the old row
        cache.put(hash, someone, before);
        assertThat(cache.get(hash)).isEmpty();
    }

    @Test
    void whatWasLookedUpBeforeTheChangingTransactionCommittedIsForgottenAtItsEnd() {
        TransactionSynchronizationManager.initSynchronization();
        try {
            changes.changed();
            long duringTransaction = cache.generation(); // another request reads the row that is not yet committed
            cache.put(hash, someone, duringTransaction);
            assertThat(cache.get(hash)).contains(someone);
            for (TransactionSynchronization synchronization : TransactionSynchronizationManager.getSynchronizations()) {
                synchronization.afterCompletion(TransactionSynchronization.STATUS_COMMITTED);
            }
            assertThat(cache.get(hash)).as("after the commit").isEmpty();
        } finally {
            TransactionSynchronizationManager.clearSynchronization();
        }
    }

    @Test
    void aLifetimeOfZeroRemembersNothingAndOverASecondIsRefused() {
        TokenCache off = new TokenCache(changes, new TokenCacheSettings(Duration.ZERO));
        off.put(hash, someone, off.generation());
        assertThat(off.get(hash)).isEmpty();
        assertThatThrownBy(() -> new TokenCacheSettings(Duration.ofMillis(1001))).hasMessageContaining("at most 1s");
    }

    @Test
    void manySecretsEmptyTheCacheRatherThanGrowIt() {
        long generation = cache.generation();
        for (int i = 0; i <= TokenCache.MAX_ENTRIES; i++) {
            cache.put(BearerSecrets.hash("lkp_" + i), someone, generation);
        }
        assertThat(cache.get(BearerSecrets.hash("lkp_0"))).isEmpty();
        assertThat(cache.get(BearerSecrets.hash("lkp_" + TokenCache.MAX_ENTRIES))).contains(someone);
    }
}
