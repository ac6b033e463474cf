package com.lockkeeper.bitlocker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.support.InvalidValueException;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class VolumeIdTest {

    private static final UUID UUID_VALUE = UUID.fromString("5f0f4e4c-3c1f-4b7a-9d55-0a2d7c1c9e11");

    @ParameterizedTest
    @ValueSource(strings = {
        "5f0f4e4c-3c1f-4b7a-9d55-0a2d7c1c9e11",
        "{5F0F4E4C-3C1F-4B7A-9D55-0A2D7C1C9E11}",
        " 5F0F4E4C-3c1f-4B7A-9D55-0a2d7c1c9e11 ",
        "\\\\?\\Volume{5f0f4e4c-3c1f-4b7a-9d55-0a2d7c1c9e11}\\",
        "\\\\?\\Volume{5F0F4E4C-3C1F-4B7A-9D55-0A2D7C1C9E11}"
    })
    void parsesGuidsAndDevicePaths(String text) {
        VolumeId id = VolumeId.parse(text);

        assertThat(id.uuid()).isEqualTo(UUID_VALUE);
        assertThat(id.toString()).isEqualTo("5f0f4e4c-3c1f-4b7a-9d55-0a2d7c1c9e11");
        assertThat(id).isEqualTo(VolumeId.of(UUID_VALUE)).hasSameHashCodeAs(VolumeId.of(UUID_VALUE));
    }

    @Test
    void differentVolumesAreNotEqual() {
        assertThat(VolumeId.of(UUID_VALUE)).isNotEqualTo(VolumeId.of(new UUID(1, 2)));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
        "5f0f4e4c-3c1f-4b7a-9d55-0a2d7c1c9e1",
        "1-1-1-1-1",
        "5f0f4e4c3c1f4b7a9d550a2d7c1c9e11",
        "{5f0f4e4c-3c1f-4b7a-9d55-0a2d7c1c9e11",
        "\\\\?\\Volume5f0f4e4c-3c1f-4b7a-9d55-0a2d7c1c9e11\\",
        "\\\\?\\Volume{5f0f4e4c-3c1f-4b7a-9d55-0a2d7c1c9e11}\\x",
        "5f0f4e4c-3c1f-4b7a-9d55-0a2d7c1c9ez1"
    })
    void rejectsAnythingButAVolumeGuid(String text) {
        assertThatThrownBy(() -> VolumeId.parse(text)).isInstanceOf(InvalidValueException.class);
    }
}
