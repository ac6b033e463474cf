package com.lockkeeper.bitlocker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.support.InvalidValueException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class VolumeTypeTest {

    @Test
    void parsesApiNamesInAnyCase() {
        assertThat(VolumeType.parse("OperatingSystem")).isEqualTo(VolumeType.OPERATING_SYSTEM);
        assertThat(VolumeType.parse("fixeddata")).isEqualTo(VolumeType.FIXED_DATA);
        assertThat(VolumeType.parse("REMOVABLEDATA")).isEqualTo(VolumeType.REMOVABLE_DATA);
    }

    @Test
    void apiNameOfEveryTypeADeviceReportsParsesBackToItsType() {
        for (VolumeType type : VolumeType.values()) {
            if (type.known()) {
                assertThat(VolumeType.parse(type.apiName())).isEqualTo(type);
            }
        }
        assertThat(VolumeType.OPERATING_SYSTEM.apiName()).isEqualTo("OperatingSystem");
    }

    @Test
    void theTypeOfAnImportedKeyIsUnknownAndNoDeviceCanReportIt() {
        assertThat(VolumeType.UNKNOWN.apiName()).isEqualTo("Unknown");
        assertThat(VolumeType.UNKNOWN.known()).isFalse();
        assertThatThrownBy(() -> VolumeType.parse("Unknown")).isInstanceOf(InvalidValueException.class)
                .hasMessage("one of OperatingSystem, FixedData, RemovableData was expected");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"OPERATING_SYSTEM", "Operating System", "Data"})
    void rejectsOtherNames(String text) {
        assertThatThrownBy(() -> VolumeType.parse(text))
                .isInstanceOf(InvalidValueException.class)
                .hasMessage("one of OperatingSystem, FixedData, RemovableData was expected");
    }
}
