package com.lockkeeper.device;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.DriveLabel;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import com.lockkeeper.http.FieldChecks;
import com.lockkeeper.http.TextValues;
import com.lockkeeper.lifecycle.CheckinReport;
import com.lockkeeper.lifecycle.PasswordVerifier;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The body of `POST /api/v1/checkin` as sent, checked into a {@link CheckinReport}. */
record CheckinRequest(String computer, List<Volume> volumes) {

    static final int MAX_VOLUMES = 64;
    static final int MAX_PROTECTORS = 32;
    static final String[] PROTECTION_STATUS = {"On", "Off", "Unknown"};

    /** The report; every problem, with those {@code checks} hold already, is thrown at once. */
    CheckinReport report(FieldChecks checks) {
        ComputerName name = checks.required("computer", computer, ComputerName::parse);
        Set<VolumeId> seen = new HashSet<>();
        List<CheckinReport.Volume> reported = checks.objects("volumes",
                checks.requiredArray("volumes", volumes, MAX_VOLUMES, "volumes (an empty array if none is encrypted)"),
                "must be an object with volumeId, volumeType, protectionStatus, keyProtectors and recoveryPasswordIds",
                (volume, at) -> {
                    CheckinReport.Volume checked = volume.report(at);
                    if (checked != null && !seen.add(checked.volumeId())) {
                        at.reject("volumeId", "appears twice; report each volume once");
                        return null;
                    }
                    return checked;
                });
        checks.throwIfAny();
        return new CheckinReport(name, reported);
    }

    /** One encrypted volume as the device sees it. */
    record Volume(String volumeId, String volumeType, String driveLabel, String protectionStatus, String encryptionMethod,
            List<String> keyProtectors, List<String> recoveryPasswordIds, List<Verifier> recoveryPasswordVerifiers) {

        /** The volume, or null if a value it cannot do without is missing or wrong. */
        CheckinReport.Volume report(FieldChecks checks) {
            VolumeId id = checks.required("volumeId", volumeId, VolumeId::parse);
            VolumeType type = checks.required("volumeType", volumeType, VolumeType::parse);
            DriveLabel label = checks.optional("driveLabel", driveLabel, DriveLabel::of);
            String status = checks.required("protectionStatus", protectionStatus, TextValues.oneOf(PROTECTION_STATUS));
            String method = checks.optional("encryptionMethod", encryptionMethod, TextValues.word(32, "XtsAes256"));
            Set<String> protectors = new LinkedHashSet<>(checks.strings("keyProtectors", checks.requiredArray("keyProtectors",
                    keyProtectors, MAX_PROTECTORS, "protector types, like [\"Tpm\", \"RecoveryPassword\"]"),
                    TextValues.word(32, "TpmPin")));
            Set<ProtectorId> ids = new LinkedHashSet<>(checks.strings("recoveryPasswordIds", checks.requiredArray(
                    "recoveryPasswordIds", recoveryPasswordIds, MAX_PROTECTORS,
                    "the IDs of the volume's recovery password protectors (an empty array if it has none)"), ProtectorId::parse));
            if (!ids.isEmpty() && !protectors.isEmpty() && !protectors.contains("RecoveryPassword")) {
                checks.reject("keyProtectors", "must list RecoveryPassword when recoveryPasswordIds is not empty");
            }
            Map<ProtectorId, PasswordVerifier> verifiers = verifiers(checks, ids);
            if (id == null || type == null || status == null) {
                return null;
            }
            return new CheckinReport.Volume(id, type, label, status, method, List.copyOf(protectors), List.copyOf(ids), verifiers);
        }

        /** The verifiers, by protector: each of a protector the volume reports, each protector once. */
        private Map<ProtectorId, PasswordVerifier> verifiers(FieldChecks checks, Set<ProtectorId> ids) {
            Map<ProtectorId, PasswordVerifier> verifiers = new LinkedHashMap<>();
            checks.objects("recoveryPasswordVerifiers", checks.array("recoveryPasswordVerifiers", recoveryPasswordVerifiers,
                    MAX_PROTECTORS), "must be an object with recoveryPasswordId and verifier", (verifier, at) -> {
                        ProtectorId protector = at.required("recoveryPasswordId", verifier.recoveryPasswordId(), ProtectorId::parse);
                        PasswordVerifier value = at.required("verifier", verifier.verifier(), PasswordVerifier::parse);
                        if (protector != null && !ids.contains(protector)) {
                            at.reject("recoveryPasswordId", "must be one of the volume's recoveryPasswordIds");
                        } else if (protector != null && verifiers.containsKey(protector)) {
                            at.reject("recoveryPasswordId", "appears twice; send one verifier per protector");
                        } else if (protector != null && value != null) {
                            verifiers.put(protector, value);
                        }
                        return value;
                    });
            return verifiers;
        }
    }

    /**
     * A device's proof that the escrowed password is the one it has: lower-case hex SHA-256 of
     * {@code lockkeeper/v1/recovery-password/<ID>/<volume>}, a zero byte and the 16 key bytes.
     */
    record Verifier(String recoveryPasswordId, String verifier) {
    }
}
