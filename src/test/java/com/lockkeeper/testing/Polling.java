package com.lockkeeper.testing;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * For what a node may answer from its token cache for a moment (lockkeeper.api.token-cache, at
 * most a second): calls until the answer is as expected or the time is up, and answers the last.
 */
public final class Polling {

    /** The promise for changes made on another node, or behind the server's back. */
    public static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);

    private Polling() {
    }

    public static <T> T until(Supplier<T> call, Predicate<T> expected, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        T answer = call.get();
        while (!expected.test(answer) && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            answer = call.get();
        }
        return answer;
    }
}
