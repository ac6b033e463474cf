package com.lockkeeper.support;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * This node's count of changes to what a bearer secret may do: a token revoked, a device
 * revoked, rejected, replaced or given a new credential, a user's roles changed or the user
 * disabled. A node remembers who a secret belongs to for a moment; anything it remembered
 * before the count moved is looked up again. Other nodes forget within their cache's lifetime
 * (lockkeeper.api.token-cache).
 */
public final class CredentialChanges {

    private final AtomicLong generation = new AtomicLong();

    public long generation() {
        return generation.get();
    }

    /**
     * A change is being made: counts now, and again when the transaction it is made in ends, so
     * that nothing looked up before the commit is remembered after it.
     */
    public void changed() {
        generation.incrementAndGet();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    generation.incrementAndGet();
                }
            });
        }
    }
}
