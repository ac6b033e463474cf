package com.lockkeeper.recovery;

import com.lockkeeper.computers.KeySummary;
import java.util.List;

/** More than one key has a password ID starting with what was typed: the matches, to pick from. */
public final class AmbiguousIdException extends RuntimeException {

    private final transient List<KeySummary> matches;

    public AmbiguousIdException(String typed, List<KeySummary> matches) {
        super(matches.size() + " recovery keys have a password ID starting with " + typed
                + ": give more digits of the ID or the whole ID, or search by computer name");
        this.matches = List.copyOf(matches);
    }

    public List<KeySummary> matches() {
        return matches;
    }
}
