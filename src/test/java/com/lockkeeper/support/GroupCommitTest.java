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
import org.junit.jupiter.api.Test;

class GroupCommitTest {

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
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstWrite = new CountDownLatch(1);
        List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, Integer> group = new GroupCommit<>(batch -> {
            batches.add(batch);
            if (batch.contains(0)) {
                firstWriteStarted.countDown();
                await(releaseFirstWrite);
            }
            return batch.stream().map(i -> i * 10).toList();
        }, 100);
        ExecutorService pool = Executors.newFixedThreadPool(21);
        try {
            Future<Integer> first = pool.submit(() -> group.submit(0));
            assertThat(firstWriteStarted.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<Integer>> waiting = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                int item = i;
                waiting.add(pool.submit(() -> group.submit(item)));
            }
            waitUntilQueued(group, 20);
            releaseFirstWrite.countDown();

            assertThat(first.get(10, TimeUnit.SECONDS)).isZero();
            for (int i = 1; i <= 20; i++) {
                assertThat(waiting.get(i - 1).get(10, TimeUnit.SECONDS)).isEqualTo(i * 10);
            }
            assertThat(batches).hasSize(2);
            assertThat(batches.get(1)).hasSize(20);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aBatchNeverExceedsTheLimit() throws Exception {
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstWrite = new CountDownLatch(1);
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, Integer> group = new GroupCommit<>(batch -> {
            sizes.add(batch.size());
            if (batch.contains(0)) {
                firstWriteStarted.countDown();
                await(releaseFirstWrite);
            }
            return batch;
        }, 4);
        ExecutorService pool = Executors.newFixedThreadPool(11);
        try {
            Future<Integer> first = pool.submit(() -> group.submit(0));
            assertThat(firstWriteStarted.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<Integer>> waiting = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                int item = i;
                waiting.add(pool.submit(() -> group.submit(item)));
            }
            waitUntilQueued(group, 10);
            releaseFirstWrite.countDown();
            first.get(10, TimeUnit.SECONDS);
            for (int i = 1; i <= 10; i++) {
                assertThat(waiting.get(i - 1).get(10, TimeUnit.SECONDS)).isEqualTo(i);
            }
            assertThat(sizes).allMatch(size -> size <= 4);
            assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(11);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void whenABatchFailsEachItemIsWrittenAloneSoOnlyTheBadOneFails() throws Exception {
        CountDownLatch firstWriteStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstWrite = new CountDownLatch(1);
        List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer, Integer> group = new GroupCommit<>(batch -> {
            batches.add(batch);
            if (batch.contains(0)) {
                firstWriteStarted.countDown();
                await(releaseFirstWrite);
            }
            if (batch.contains(13)) {
                throw new IllegalArgumentException("item 13 is bad");
            }
            return batch;
        }, 100);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            Future<Integer> first = pool.submit(() -> group.submit(0));
            assertThat(firstWriteStarted.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<Integer>> waiting = new ArrayList<>();
            for (int item : new int[] {11, 12, 13, 14, 15}) {
                waiting.add(pool.submit(() -> group.submit(item)));
            }
            waitUntilQueued(group, 5);
            releaseFirstWrite.countDown();
            first.get(10, TimeUnit.SECONDS);

            assertThat(waiting.get(0).get(10, TimeUnit.SECONDS)).isEqualTo(11);
            assertThat(waiting.get(1).get(10, TimeUnit.SECONDS)).isEqualTo(12);
            assertThatThrownBy(() -> waiting.get(2).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("item 13 is bad");
            assertThat(waiting.get(3).get(10, TimeUnit.SECONDS)).isEqualTo(14);
            assertThat(waiting.get(4).get(10, TimeUnit.SECONDS)).isEqualTo(15);
            assertThat(batches).contains(List.of(13)).contains(List.of(11));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLoneFailureReachesItsCaller() {
        GroupCommit<Integer, Integer> group = new GroupCommit<>(batch -> {
            throw new IllegalStateException("database away");
        }, 8);

        assertThatThrownBy(() -> group.submit(1)).isInstanceOf(IllegalStateException.class).hasMessage("database away");
        assertThatThrownBy(() -> group.submit(2)).isInstanceOf(IllegalStateException.class).hasMessage("database away");
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
