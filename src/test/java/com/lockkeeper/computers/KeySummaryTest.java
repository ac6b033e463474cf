package com.lockkeeper.computers;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** How pages name a key's volume, also for a key imported from Active Directory (no type, no label yet). */
class KeySummaryTest {

    static KeySummary key(String type, String label) {
        return new KeySummary(ProtectorId.parse("{4D3C2B1A-8F7E-4A6B-9C0D-112233445566}"), 1, "PC-0042",
                VolumeId.parse("5f0f4e4c-3c1f-4b7a-9d55-0a2d7c1c9e11"), type, label, KeyStatus.ACTIVE, Instant.EPOCH,
                Instant.EPOCH, false, false, false);
    }

    @Test
    void anImportedKeysVolumeIsNotReportedYetAndNamedByItsGuid() {
        KeySummary imported = key("Unknown", null);

        assertThat(imported.volumeTypeLabel()).isEqualTo("not reported yet");
        assertThat(imported.driveLabelOrVolume()).isEqualTo("volume 5f0f4e4c…");
        assertThat(imported.driveText()).isEqualTo("volume 5f0f4e4c…");
    }

    @Test
    void aDevicesKeyShowsWhatTheDeviceReported() {
        KeySummary escrowed = key("OperatingSystem", "PC-0042 C: 11/23/2026");

        assertThat(escrowed.volumeTypeLabel()).isEqualTo("OperatingSystem");
        assertThat(escrowed.driveLabelOrVolume()).isEqualTo("PC-0042 C: 11/23/2026");
        assertThat(key("FixedData", null).driveText()).isEqualTo("FixedData");
    }
}
