package com.lockkeeper.bitlocker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.support.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class DriveLabelTest {

    @Test
    void keepsTheTextTrimmed() {
        DriveLabel label = DriveLabel.of("  DESKTOP-7F3K2 C: 11/23/2026 \n");

        assertThat(label.value()).isEqualTo("DESKTOP-7F3K2 C: 11/23/2026");
        assertThat(label.toString()).isEqualTo("DESKTOP-7F3K2 C: 11/23/2026");
        assertThat(label).isEqualTo(DriveLabel.of("DESKTOP-7F3K2 C: 11/23/2026"));
    }

    @Test
    void allowsUpTo256Characters() {
        assertThat(DriveLabel.of("x".repeat(256)).value()).hasSize(256);
        assertThatThrownBy(() -> DriveLabel.of("x".repeat(257)))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("256");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" \t "})
    void rejectsAnEmptyLabel(String text) {
        assertThatThrownBy(() -> DriveLabel.of(text)).isInstanceOf(InvalidValueException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"DESKTOP\tC:", "DESKTOP\nC:", "DESKTOP\u0000", "DESKTOP\u007F C:", "DESKTOP\u0085C:",
            "DESKTOP\u202EC: 6202/32/11", "DESKTOP\u200FC:", "DESK\u200BTOP C:", "DESKTOP\u2028C:", "DESKTOP\uD800 C:",
            "DESKTOP C:\uDC00"})
    void rejectsControlFormatAndUnpairedSurrogateCharacters(String text) {
        assertThatThrownBy(() -> DriveLabel.of(text))
                .isInstanceOf(InvalidValueException.class)
                .hasMessageContaining("invisible or direction-changing character")
                .message().doesNotContain("DESKTOP");
    }
}
