package com.lockkeeper.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Splits the values of a {@code WHERE column IN (:values)} query into lists of at most {@value #SIZE}.
 * H2 finds the rows of an IN list through the index, then checks every row it found against the
 * whole list again, one value after another: a list of a thousand GUIDs cost half a million
 * comparisons per query (a quarter of a directory import's database time), ten thousand fifty
 * million. Lists of a hundred keep that check small on H2 and cost PostgreSQL nothing that shows.
 */
public final class InLists {

    public static final int SIZE = 100;

    private InLists() {
    }

    /** The values in lists of at most {@value #SIZE}, in their order; none for no values. */
    public static <T> List<List<T>> of(Collection<T> values) {
        List<List<T>> lists = new ArrayList<>((values.size() + SIZE - 1) / SIZE);
        List<T> current = new ArrayList<>(Math.min(SIZE, values.size()));
        for (T value : values) {
            current.add(value);
            if (current.size() == SIZE) {
                lists.add(current);
                current = new ArrayList<>(SIZE);
            }
        }
        if (!current.isEmpty()) {
            lists.add(current);
        }
        return lists;
    }
}
