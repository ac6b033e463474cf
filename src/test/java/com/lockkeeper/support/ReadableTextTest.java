package com.lockkeeper.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadableTextTest {

    @ParameterizedTest
    @ValueSource(strings = {"\u202E", "\u202D", "\u200F", "\u200E", "\u200B", "\u2028", "\u2029", "\u0000", "\u001B", "\u0085",
            "\uFEFF", "\u2066", "\uD800", "\uDFFF"})
    void hiddenCharactersAreFoundAtTheirPosition(String hidden) {
        assertThat(ReadableText.firstHidden("CORP\\" + hidden + "alice")).hasValue(6);
        assertThatThrownBy(() -> ReadableText.require("CORP\\" + hidden + "alice", "the account name"))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageStartingWith("the account name has an invisible or direction-changing character")
                .hasMessageContaining("position 6")
                .message().doesNotContain("alice");
    }

    @Test
    void visibleTextOfAnyScriptIsKept() {
        for (String text : new String[] {"DESKTOP-7F3K2 C: 11/23/2026", "Müller-Lüdenscheidt", "שלום עולם", "مرحبا", "日本語のラベル",
                "emoji 🔐 pair"}) {
            assertThat(ReadableText.firstHidden(text)).as(text).isEmpty();
            assertThat(ReadableText.require(text, "it")).isEqualTo(text);
        }
    }
}
