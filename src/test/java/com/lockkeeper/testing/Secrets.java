package com.lockkeeper.testing;

import com.lockkeeper.bitlocker.RecoveryPassword;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Secrets a test wants to be sure never show up somewhere (a database dump, a file, a log), in
 * every spelling they could plausibly take: text needles are searched in text and, as UTF-8,
 * in raw bytes; byte needles only in raw bytes. Every needle is at least 16 bytes long, so a
 * hit is never a coincidence.
 */
public final class Secrets {

    private static final int MIN_LENGTH = 16;

    private record Needle(String name, byte[] bytes) {
    }

    private final List<Needle> texts = new ArrayList<>();
    private final List<Needle> binaries = new ArrayList<>();
    private final Map<String, String> textNeedles = new HashMap<>();
    private Map<Integer, List<Needle>> byPrefix;

    /** The recovery password as typed (dashes, spaces, no separators) and its 16 key bytes as hex, base64 and raw. */
    public Secrets recoveryPassword(String name, RecoveryPassword password) {
        String dashed = password.reveal();
        text(name + " (dashes)", dashed);
        text(name + " (no separators)", dashed.replace("-", ""));
        text(name + " (spaces)", dashed.replace('-', ' '));
        bytes(name + " key", password.keyBytes());
        return this;
    }

    /** Bytes as hex (both cases), base64 (standard and URL-safe, padding or not) and raw. */
    public Secrets bytes(String name, byte[] bytes) {
        text(name + " (hex)", HexFormat.of().formatHex(bytes));
        text(name + " (HEX)", HexFormat.of().withUpperCase().formatHex(bytes));
        // Without padding: a prefix of the padded form, so this finds both.
        text(name + " (base64)", Base64.getEncoder().withoutPadding().encodeToString(bytes));
        text(name + " (base64url)", Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        raw(name + " (raw bytes)", bytes);
        return this;
    }

    /** A secret that is text, such as a token. */
    public Secrets text(String name, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        check(name, bytes);
        texts.add(new Needle(name, bytes));
        textNeedles.put(name, text);
        byPrefix = null;
        return this;
    }

    public Secrets raw(String name, byte[] bytes) {
        check(name, bytes);
        binaries.add(new Needle(name, bytes.clone()));
        byPrefix = null;
        return this;
    }

    public int size() {
        return texts.size() + binaries.size();
    }

    /** Names of every needle, for tests that want each one found. */
    public Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        texts.forEach(n -> names.add(n.name()));
        binaries.forEach(n -> names.add(n.name()));
        return names;
    }

    /** The names of the text needles found in {@code text}. */
    public Set<String> foundInText(String text) {
        Set<String> found = new LinkedHashSet<>();
        if (text == null) {
            return found;
        }
        textNeedles.forEach((name, needle) -> {
            if (text.contains(needle)) {
                found.add(name);
            }
        });
        return found;
    }

    /** The names of every needle (text as UTF-8, and binary) found in {@code haystack}. */
    public Set<String> foundInBytes(byte[] haystack) {
        Map<Integer, List<Needle>> index = index();
        Set<String> found = new LinkedHashSet<>();
        for (int i = 0; i + MIN_LENGTH <= haystack.length; i++) {
            List<Needle> candidates = index.get(prefix(haystack, i));
            if (candidates == null) {
                continue;
            }
            for (Needle needle : candidates) {
                if (!found.contains(needle.name()) && startsAt(haystack, i, needle.bytes())) {
                    found.add(needle.name());
                }
            }
        }
        return found;
    }

    private Map<Integer, List<Needle>> index() {
        if (byPrefix == null) {
            Map<Integer, List<Needle>> index = new HashMap<>();
            for (List<Needle> list : List.of(texts, binaries)) {
                for (Needle needle : list) {
                    index.computeIfAbsent(prefix(needle.bytes(), 0), k -> new ArrayList<>()).add(needle);
                }
            }
            byPrefix = index;
        }
        return byPrefix;
    }

    private static int prefix(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 24 | (bytes[at + 1] & 0xFF) << 16 | (bytes[at + 2] & 0xFF) << 8 | (bytes[at + 3] & 0xFF);
    }

    private static boolean startsAt(byte[] haystack, int at, byte[] needle) {
        if (at + needle.length > haystack.length) {
            return false;
        }
        for (int j = 0; j < needle.length; j++) {
            if (haystack[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }

    private static void check(String name, byte[] bytes) {
        if (bytes.length < MIN_LENGTH) {
            throw new IllegalArgumentException(name + " is too short to search for without false hits");
        }
    }
}
