package com.lockkeeper.reports;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The BitLocker protection modes of the recovery process's root-cause questions, read from the key protector types a device reports. */
final class ProtectionMode {

    static final String NOT_REPORTED = "Not reported by the device";

    private ProtectionMode() {
    }

    static String of(String keyProtectors) {
        if (keyProtectors == null) {
            return NOT_REPORTED;
        }
        Set<String> types = Arrays.stream(keyProtectors.split(",")).map(t -> t.strip().toLowerCase(Locale.ROOT))
                .filter(t -> !t.isEmpty()).collect(Collectors.toSet());
        if (types.contains("tpmpinstartupkey")) {
            return "TPM + PIN + startup key";
        }
        if (types.contains("tpmpin")) {
            return "TPM + PIN";
        }
        if (types.contains("tpmstartupkey")) {
            return "TPM + startup key";
        }
        if (types.contains("tpm")) {
            return "TPM";
        }
        if (types.contains("externalkey")) {
            return "Startup key";
        }
        if (types.contains("password")) {
            return "Password";
        }
        return "No startup protector";
    }

    /** Encrypted: protection on, or an encryption method other than none (protection suspended still encrypts). */
    static boolean encrypted(String protectionStatus, String encryptionMethod) {
        return "on".equalsIgnoreCase(protectionStatus)
                || (encryptionMethod != null && !encryptionMethod.isBlank() && !"none".equalsIgnoreCase(encryptionMethod.strip()));
    }
}
