package com.lockkeeper.bitlocker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.support.InvalidValueException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Binary GUIDs as Active Directory stores them: Data1, Data2, Data3 little-endian, Data4 as it is. */
class GuidsTest {

    private static final HexFormat HEX = HexFormat.of().withUpperCase();

    @Test
    void aKnownGuidHasItsFirstThreeFieldsByteSwapped() {
        UUID guid = UUID.fromString("4d3c2b1a-8f7e-4a6b-9c0d-112233445566");
        byte[] bytes = HEX.parseHex("1A2B3C4D7E8F6B4A9C0D112233445566");

        assertThat(Guids.fromMicrosoftBytes(bytes)).isEqualTo(guid);
        assertThat(HEX.formatHex(Guids.toMicrosoftBytes(guid))).isEqualTo("1A2B3C4D7E8F6B4A9C0D112233445566");
        assertThat(ProtectorId.fromMicrosoftBytes(bytes)).isEqualTo(ProtectorId.parse("{4D3C2B1A-8F7E-4A6B-9C0D-112233445566}"));
        assertThat(VolumeId.fromMicrosoftBytes(bytes)).isEqualTo(VolumeId.parse("4d3c2b1a-8f7e-4a6b-9c0d-112233445566"));
    }

    @Test
    void theExampleFromMicrosoftsGuidStructureLayout() {
        // {00112233-4455-6677-8899-AABBCCDDEEFF}: Data1 = 0x00112233 stored 33 22 11 00, and so on.
        byte[] bytes = HEX.parseHex("33221100554477668899AABBCCDDEEFF");

        assertThat(Guids.fromMicrosoftBytes(bytes)).hasToString("00112233-4455-6677-8899-aabbccddeeff");
    }

    @Test
    void bytesAndGuidsRoundTrip() {
        SplittableRandom random = new SplittableRandom(1964);
        for (int i = 0; i < 1_000; i++) {
            UUID guid = new UUID(random.nextLong(), random.nextLong());
            assertThat(Guids.fromMicrosoftBytes(Guids.toMicrosoftBytes(guid))).isEqualTo(guid);
        }
    }

    @Test
    void onlySixteenBytesAreAGuid() {
        assertThatThrownBy(() -> Guids.fromMicrosoftBytes(new byte[15])).isInstanceOf(InvalidValueException.class)
                .hasMessage("a binary GUID of 16 bytes was expected; this has 15");
        assertThatThrownBy(() -> Guids.fromMicrosoftBytes(null)).isInstanceOf(InvalidValueException.class)
                .hasMessage("a binary GUID of 16 bytes was expected");
    }
}
