package com.lockkeeper.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InListsTest {

    @Test
    void valuesComeInListsOfAtMostAHundredInTheirOrder() {
        List<Integer> values = IntStream.range(0, 250).boxed().toList();

        List<List<Integer>> lists = InLists.of(values);

        assertThat(lists).extracting(List::size).containsExactly(100, 100, 50);
        assertThat(lists.stream().flatMap(List::stream).toList()).isEqualTo(values);
        assertThat(InLists.of(List.of())).isEmpty();
        assertThat(InLists.of(IntStream.range(0, 100).boxed().toList())).hasSize(1);
    }
}
