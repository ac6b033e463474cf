package com.lockkeeper.keys;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import java.nio.charset.StandardCharsets;

/**
 * What a sealed secret belongs to. It is the associated data of the encryption, so a
 * ciphertext copied into another row, or from one column to another, fails to open.
 */
public record RecordBinding(Field field, ProtectorId protectorId, VolumeId volumeId) {

    public enum Field {
        RECOVERY_PASSWORD("recovery-password"),
        KEY_PACKAGE("key-package");

        private final String label;

        Field(String label) {
            this.label = label;
        }
    }

    public static RecordBinding recoveryPassword(ProtectorId protectorId, VolumeId volumeId) {
        return new RecordBinding(Field.RECOVERY_PASSWORD, protectorId, volumeId);
    }

    public static RecordBinding keyPackage(ProtectorId protectorId, VolumeId volumeId) {
        return new RecordBinding(Field.KEY_PACKAGE, protectorId, volumeId);
    }

    byte[] associatedData(int formatVersion) {
        return ("lockkeeper/v" + formatVersion + "/" + field.label + "/" + protectorId.hex() + "/" + volumeId.uuid())
                .getBytes(StandardCharsets.UTF_8);
    }
}
