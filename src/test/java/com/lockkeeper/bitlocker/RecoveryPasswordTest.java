package com.lockkeeper.bitlocker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.bitlocker.RecoveryPasswordException.Error;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecoveryPasswordTest {

    private static final String CANONICAL = "069476-651431-271810-697587-029513-186186-315348-198561";
    private static final String KEY_HEX = "ac1855e78660b9f77b0a1e42fc6f8346";

    @Test
    void generatedPasswordsParseBackAndDiffer() {
        SecureRandom random = new SecureRandom();
        RecoveryPassword first = RecoveryPassword.generate(random);
        RecoveryPassword second = RecoveryPassword.generate(random);

        assertThat(RecoveryPassword.parse(first.reveal())).isEqualTo(first);
        assertThat(RecoveryPassword.parse(second.reveal())).isEqualTo(second);
        assertThat(first).isNotEqualTo(second);
        assertThat(first.reveal()).isNotEqualTo(second.reveal());
    }

    @Test
    void generateTakesItsKeyBytesFromTheGivenRandom() {
        byte[] fixed = HexFormat.of().parseHex(KEY_HEX);
        SecureRandom random = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(fixed, 0, bytes, 0, bytes.length);
            }
        };

        assertThat(RecoveryPassword.generate(random).reveal()).isEqualTo(CANONICAL);
    }

    @Test
    void toStringRedactsThePassword() {
        RecoveryPassword password = RecoveryPassword.parse(CANONICAL);

        assertThat(password.toString()).isEqualTo("RecoveryPassword[redacted]");
        for (int n = 1; n <= 8; n++) {
            assertThat(password.toString()).doesNotContain(password.block(n));
        }
    }

    @Test
    void passwordsWithTheSameKeyAreEqualWhateverTheirSpelling() {
        RecoveryPassword dashed = RecoveryPassword.parse(CANONICAL);
        RecoveryPassword spaced = RecoveryPassword.parse(CANONICAL.replace('-', ' '));
        RecoveryPassword other = RecoveryPassword.parse("000011-000022-000033-000044-000055-000066-000077-000088");

        assertThat(spaced).isEqualTo(dashed).hasSameHashCodeAs(dashed);
        assertThat(dashed).isNotEqualTo(other);
        assertThat(dashed).isNotEqualTo(CANONICAL);
    }

    @Test
    void acceptsRunsOfMixedSeparatorsBetweenBlocks() {
        String loose = "  069476 - 651431--271810  697587-029513 -186186 315348-198561\n";

        assertThat(RecoveryPassword.parse(loose).reveal()).isEqualTo(CANONICAL);
    }

    @Test
    void keyBytesAreCopiedInAndOut() {
        byte[] key = HexFormat.of().parseHex(KEY_HEX);
        RecoveryPassword password = RecoveryPassword.fromKeyBytes(key);

        Arrays.fill(key, (byte) 0);
        password.keyBytes()[0] = 1;

        assertThat(HexFormat.of().formatHex(password.keyBytes())).isEqualTo(KEY_HEX);
        assertThat(password.reveal()).isEqualTo(CANONICAL);
    }

    @Test
    void fromKeyBytesNeedsSixteenBytesAndDoesNotEchoThem() {
        byte[] fifteen = new byte[15];
        Arrays.fill(fifteen, (byte) 0x5A);

        assertThatThrownBy(() -> RecoveryPassword.fromKeyBytes(fifteen))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("16 bytes")
                .message().doesNotContainIgnoringCase("5a").doesNotContain("90");
        assertThatThrownBy(() -> RecoveryPassword.fromKeyBytes(new byte[17]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecoveryPassword.fromKeyBytes(null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void blockGivesEachBlockWithLeadingZeros() {
        RecoveryPassword password = RecoveryPassword.parse(CANONICAL);

        assertThat(password.block(1)).isEqualTo("069476");
        assertThat(password.block(5)).isEqualTo("029513");
        assertThat(password.block(8)).isEqualTo("198561");
        assertThatThrownBy(() -> password.block(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> password.block(9)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void blocksOfFortyEightDigitsInTheWrongPlacesAreALengthErrorOfThatBlock() {
        String misplaced = "06947-6651431-271810-697587-029513-186186-315348-198561";

        assertThatThrownBy(() -> RecoveryPassword.parse(misplaced))
                .isInstanceOfSatisfying(RecoveryPasswordException.class, e -> {
                    assertThat(e.error()).isEqualTo(Error.LENGTH);
                    assertThat(e.block()).hasValue(1);
                });
    }

    @Test
    void aMissingDigitNamesItsBlockAndTheDigitCount() {
        String short47 = CANONICAL.substring(0, CANONICAL.length() - 1);
        String long49 = CANONICAL.substring(0, 14) + "1" + CANONICAL.substring(14);

        assertThatThrownBy(() -> RecoveryPassword.parse(short47))
                .isInstanceOfSatisfying(RecoveryPasswordException.class, e -> {
                    assertThat(e.error()).isEqualTo(Error.LENGTH);
                    assertThat(e.block()).hasValue(8);
                    assertThat(e.getMessage()).contains("block 8 has 5 digits").contains("47 digits").contains("48");
                });
        assertThatThrownBy(() -> RecoveryPassword.parse(long49))
                .isInstanceOfSatisfying(RecoveryPasswordException.class, e -> {
                    assertThat(e.block()).hasValue(3);
                    assertThat(e.getMessage()).contains("block 3 has 7 digits").contains("49 digits");
                });
    }

    @Test
    void aTrailingSeparatorIsNotABlock() {
        String seven = CANONICAL.substring(0, CANONICAL.lastIndexOf('-') + 1);

        assertThatThrownBy(() -> RecoveryPassword.parse(seven))
                .isInstanceOfSatisfying(RecoveryPasswordException.class,
                        e -> assertThat(e.error()).isEqualTo(Error.LENGTH));
    }

    @Test
    void nonAsciiDigitsAreNotDigits() {
        String fullWidth = CANONICAL.replaceFirst("069476", "\uFF10\uFF16\uFF19\uFF14\uFF17\uFF16");

        assertThatThrownBy(() -> RecoveryPassword.parse(fullWidth))
                .isInstanceOfSatisfying(RecoveryPasswordException.class, e -> {
                    assertThat(e.error()).isEqualTo(Error.CHARACTER);
                    assertThat(e.block()).hasValue(1);
                });
    }

    @Test
    void nullIsALengthError() {
        assertThatThrownBy(() -> RecoveryPassword.parse(null))
                .isInstanceOfSatisfying(RecoveryPasswordException.class,
                        e -> assertThat(e.error()).isEqualTo(Error.LENGTH));
    }

    @ParameterizedTest
    @CsvSource({"1, 000000", "3, 271810", "8, 720885", "5, ' 029513 '"})
    void checkBlockAcceptsAPlausibleBlock(int n, String typed) {
        assertThatCode(() -> RecoveryPassword.checkBlock(n, typed)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource({
        "2, 65143a, CHARACTER",
        "2, 6514311, LENGTH",
        "2, 65143, LENGTH",
        "2, '', LENGTH",
        "7, 720896, RANGE",
        "7, 999999, RANGE",
        "4, 697588, CHECKSUM"
    })
    void checkBlockNamesTheErrorAndTheBlock(int n, String typed, Error error) {
        assertThatThrownBy(() -> RecoveryPassword.checkBlock(n, typed))
                .isInstanceOfSatisfying(RecoveryPasswordException.class, e -> {
                    assertThat(e.error()).isEqualTo(error);
                    assertThat(e.block()).hasValue(n);
                    assertThat(e.getMessage()).contains("block " + n);
                    if (!typed.isEmpty()) {
                        assertThat(e.getMessage()).doesNotContain(typed);
                    }
                });
    }

    @Test
    void checkBlockNeedsABlockNumberFromOneToEight() {
        assertThatThrownBy(() -> RecoveryPassword.checkBlock(0, "000000"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RecoveryPassword.checkBlock(9, "000000"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
