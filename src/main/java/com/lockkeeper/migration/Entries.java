package com.lockkeeper.migration;

import com.lockkeeper.escrow.EscrowImport.Item;
import com.lockkeeper.support.InvalidValueException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The entries read from a source, and what was wrong with the others: each problem names the entry and the field. */
final class Entries {

    private final String source;
    private final String what;
    final List<Item> items = new ArrayList<>();
    private final List<String> errors = new ArrayList<>();
    private long bad;
    private List<String> current;

    Entries(String source, String what) {
        this.source = source;
        this.what = what;
    }

    /** Starts checking one entry. */
    void begin() {
        current = new ArrayList<>();
    }

    /** The field parsed, or null (and the problem noted) if it does not parse; a missing required field is a problem too. */
    <T> T field(String name, String value, boolean required, Function<String, T> parse) {
        if (value == null) {
            if (required) {
                current.add(name + " is empty");
            }
            return null;
        }
        try {
            return parse.apply(value);
        } catch (InvalidValueException e) {
            current.add(name + (e.block().isPresent() ? " block " + e.block().getAsInt() : "") + ": " + e.reason());
        } catch (IllegalArgumentException e) {
            current.add(name + ": " + e.getMessage());
        }
        return null;
    }

    void problem(String text) {
        current.add(text);
    }

    /** Ends the entry: answers whether it had no problem (and may be added). */
    boolean end(String where) {
        if (current.isEmpty()) {
            return true;
        }
        if (++bad <= InvalidSourceException.SHOWN) {
            errors.add(where + ": " + String.join("; ", current));
        }
        return false;
    }

    /** Throws naming the bad entries, if any. */
    List<Item> checked() {
        if (bad > 0) {
            throw InvalidSourceException.listing(source, bad, errors, what);
        }
        return items;
    }
}
