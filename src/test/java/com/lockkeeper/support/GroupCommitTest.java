package com.lockkeeper.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    private ExecutorService pool;

    @Test
    void aLoneCallerIsWrittenAtOnceInABatchOfOne() {
        List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, String> group = new GroupCommit<>(batch -> {
            batches.add(batch);
            return batch.stream().map(i -> "done " + i).toList();
        }, 8);

        assertThat(group.submit(1)).isEqualTo("done 1");
        assertThat(group.submit(2)).isEqualTo("done 2");
        assertThat(batches).containsExactly(List.of(1), List.of(2));
    }

    @Test
    void callersArrivingDuringAWriteShareTheNextBatchAndEachGetsItsOwnResult() throws Exception {
        List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        List<Future<Integer>> answers = submitWhileTheFirstBatchIsHeld(100, batch -> {
            batches.add(batch);
            return batch.stream().map(i -> i * 10).toList();
        }, range(1, 20));

        assertThat(answers.get(0).get(10, TimeUnit.SECONDS)).isZero();
        for (int i = 1; i <= 20; i++) {
            assertThat(answers.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i * 10);
        }
        assertThat(batches).hasSize(2);
        assertThat(batches.get(1)).hasSize(20);
    }

    @Test
    void aBatchNeverExceedsTheLimit() throws Exception {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        List<Future<Integer>> answers = submitWhileTheFirstBatchIsHeld(4, batch -> {
            sizes.add(batch.size());
            return batch;
        }, range(1, 10));

        for (int i = 0; i <= 10; i++) {
            assertThat(answers.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i);
        }
        assertThat(sizes).allMatch(size -> size <= 4);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(11);
    }

    @Test
    void whenABatchFailsEachItemIsWrittenAloneSoOnlyTheBadOneFails() throws Exception {
        List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        List<Future<Integer>> answers = submitWhileTheFirstBatchIsHeld(100, batch -> {
            batches.add(batch);
            if (batch.contains(13)) {
                throw new IllegalArgumentException("item 13 is bad");
            }
            return batch;
        }, 11, 12, 13, 14, 15);

        answers.get(0).get(10, TimeUnit.SECONDS);
        assertThat(answers.get(1).get(10, TimeUnit.SECONDS)).isEqualTo(11);
        assertThat(answers.get(2).get(10, TimeUnit.SECONDS)).isEqualTo(12);
        assertThatThrownBy(() -> answers.get(3).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("item 13 is bad");
        assertThat(answers.get(4).get(10, TimeUnit.SECONDS)).isEqualTo(14);
        assertThat(answers.get(5).get(10, TimeUnit.SECONDS)).isEqualTo(15);
        assertThat(batches).contains(List.of(13)).contains(List.of(11));
    }

    @Test
    void aLoneFailureReachesItsCaller() {
        GroupCommit<Integer, Integer> group = new GroupCommit<>(batch -> {
            throw new IllegalStateException("database away");
        }, 8);

        assertThatThrownBy(() -> group.submit(1)).isInstanceOf(IllegalStateException.class).hasMessage("database away");
        assertThatThrownBy(() -> group.submit(2)).isInstanceOf(IllegalStateException.class).hasMessage("database away");
    }

    /**
     * Submits item 0 and holds its batch inside the writer until {@code others} have all queued
     * behind it, then lets it go. Answers the callers' futures: item 0's first, then the others' in order.
     */
    private List<Future<Integer>> submitWhileTheFirstBatchIsHeld(int maxBatch, GroupCommit.BatchWriter<Integer, Integer> writer,
            int... others) throws InterruptedException {
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstWrite = new CountDownLatch(1);
        GroupCommit<Integer, Integer> group = new GroupCommit<>(batch -> {
            if (batch.contains(0)) {
                firstWriteStarted.countDown();
                await(releaseFirstWrite);
            }
            return writer.write(batch);
        }, maxBatch);
        pool = Executors.newFixedThreadPool(others.length + 1);
        List<Future<Integer>> answers = new ArrayList<>();
        answers.add(pool.submit(() -> group.submit(0)));
        assertThat(firstWriteStarted.await(10, TimeUnit.SECONDS)).isTrue();
        for (int item : others) {
            answers.add(pool.submit(() -> group.submit(item)));
        }
        waitUntilQueued(group, others.length);
        releaseFirstWrite.countDown();
        return answers;
    }

    private static int[] range(int from, int to) {
        return IntStream.rangeClosed(from, to).toArray();
    }

    @AfterEach
    void stopPool() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private static void waitUntilQueued(GroupCommit<?, ?> group, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (group.queued() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(group.queued()).isEqualTo(count);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
