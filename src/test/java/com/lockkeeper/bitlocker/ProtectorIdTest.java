package com.lockkeeper.bitlocker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.support.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class ProtectorIdTest {

    private static final String BRACED = "{4D3C2B1A-8F7E-4A6B-9C0D-112233445566}";
    private static final String HEX = "4D3C2B1A8F7E4A6B9C0D112233445566";

    @ParameterizedTest
    @ValueSource(strings = {
        "{4D3C2B1A-8F7E-4A6B-9C0D-112233445566}",
        "4D3C2B1A-8F7E-4A6B-9C0D-112233445566",
        "{4d3c2b1a-8f7e-4a6b-9c0d-112233445566}",
        "  4d3c2b1a-8F7E-4a6b-9c0d-112233445566\t",
        "4d3c2b1a8f7e4a6b9c0d112233445566",
        "{4D3C2B1A8F7E4A6B9C0D112233445566}"
    })
    void parsesEverySpellingToTheSameId(String text) {
        ProtectorId id = ProtectorId.parse(text);

        assertThat(id.toString()).isEqualTo(BRACED);
        assertThat(id.hex()).isEqualTo(HEX);
        assertThat(id).isEqualTo(ProtectorId.parse(BRACED)).hasSameHashCodeAs(ProtectorId.parse(BRACED));
    }

    @Test
    void shortIdIsTheFirstEightHexDigits() {
        assertThat(ProtectorId.parse("{4d3c2b1a-8f7e-4a6b-9c0d-112233445566}").shortId()).isEqualTo("4D3C2B1A");
    }

    @Test
    void fromHexRoundTripsThroughHex() {
        ProtectorId id = ProtectorId.fromHex(HEX.toLowerCase());

        assertThat(id.hex()).isEqualTo(HEX);
        assertThat(ProtectorId.fromHex(id.hex())).isEqualTo(id);
        assertThat(id.toString()).isEqualTo(BRACED);
    }

    @Test
    void differentIdsAreNotEqual() {
        assertThat(ProtectorId.parse(BRACED)).isNotEqualTo(ProtectorId.fromHex("4D3C2B1A8F7E4A6B9C0D112233445567"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "{4D3C2B1A-8F7E-4A6B-9C0D-11223344556}",
        "{4D3C2B1A-8F7E-4A6B-9C0D-1122334455667}",
        "4D3C2B1A8F7E4A6B9C0D11223344556",
        "{4D3C2B1A-8F7E-4A6B-9C0D-11223344556G}",
        "4D3C2B1A-8F7E-4A6B-9C0D-112233445566}",
        "{4D3C2B1A-8F7E-4A6B-9C0D-112233445566",
        "{{4D3C2B1A-8F7E-4A6B-9C0D-112233445566}}",
        "4D3C2B1A8-F7E-4A6B-9C0D-112233445566",
        "4D3C2B1A-8F7E4A6B-9C0D-112233445566",
        "{}"
    })
    void rejectsAnythingButAGuid(String text) {
        assertThatThrownBy(() -> ProtectorId.parse(text))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("a GUID like {4D3C2B1A-8F7E-4A6B-9C0D-112233445566} was expected");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"4D3C2B1A-8F7E-4A6B-9C0D-112233445566", "4D3C2B1A8F7E4A6B9C0D11223344556", "4D3C2B1A8F7E4A6B9C0D11223344556X"})
    void fromHexNeedsExactlyThirtyTwoHexDigits(String text) {
        assertThatThrownBy(() -> ProtectorId.fromHex(text)).isInstanceOf(InvalidValueException.class);
    }

    @Test
    void normalizeIdPrefixKeepsOnlyTheHexDigitsUpperCase() {
        assertThat(ProtectorId.normalizeIdPrefix("4d3c2b1a")).isEqualTo("4D3C2B1A");
        assertThat(ProtectorId.normalizeIdPrefix(" {4d3c2b1a-8f7e ")).isEqualTo("4D3C2B1A8F7E");
        assertThat(ProtectorId.normalizeIdPrefix("4D3C 2B1A")).isEqualTo("4D3C2B1A");
        assertThat(ProtectorId.normalizeIdPrefix(BRACED)).isEqualTo(HEX);
        assertThat(ProtectorId.normalizeIdPrefix("a")).isEqualTo("A");
    }

    @Test
    void normalizeIdPrefixRejectsNonHexDigits() {
        assertThatThrownBy(() -> ProtectorId.normalizeIdPrefix("4D3C2B1G"))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("the password ID has only the digits 0-9 and letters A-F");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" - {} ", "4D3C2B1A8F7E4A6B9C0D1122334455667"})
    void normalizeIdPrefixNeedsOneToThirtyTwoHexDigits(String typed) {
        assertThatThrownBy(() -> ProtectorId.normalizeIdPrefix(typed)).isInstanceOf(InvalidValueException.class);
    }
}
