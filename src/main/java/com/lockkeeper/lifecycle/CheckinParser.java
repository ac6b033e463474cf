package com.lockkeeper.lifecycle;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.DriveLabel;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/** The body of `POST /api/v1/checkin` into a {@link CheckinReport}, every problem named by its field. */
final class CheckinParser {

    static final int MAX_VOLUMES = 64;
    static final int MAX_PROTECTORS = 32;
    static final String[] PROTECTION_STATUS = {"On", "Off", "Unknown"};
    private static final Set<String> FIELDS = Set.of("computer", "volumes");
    private static final Set<String> VOLUME_FIELDS = Set.of("volumeId", "volumeType", "driveLabel", "protectionStatus",
            "encryptionMethod", "keyProtectors", "recoveryPasswordIds");

    CheckinReport parse(JsonNode root) {
        DeviceJson json = new DeviceJson();
        json.onlyKnown(root, "", FIELDS);
        ComputerName computer = json.required(root, "", "computer", ComputerName::parse);
        List<JsonNode> nodes = json.array(root, "", "volumes", MAX_VOLUMES, true, "volumes (an empty array if none is encrypted)");
        List<CheckinReport.Volume> volumes = new ArrayList<>();
        Set<VolumeId> seen = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            String prefix = "volumes[" + i + "].";
            JsonNode node = nodes.get(i);
            if (!node.isObject()) {
                json.error("volumes[" + i + "]", "must be an object with volumeId, volumeType, protectionStatus, keyProtectors"
                        + " and recoveryPasswordIds");
                continue;
            }
            CheckinReport.Volume volume = volume(json, node, prefix);
            if (volume != null && !seen.add(volume.volumeId())) {
                json.error(prefix + "volumeId", "appears twice; report each volume once");
            } else if (volume != null) {
                volumes.add(volume);
            }
        }
        json.throwIfAny();
        return new CheckinReport(computer, volumes);
    }

    private static CheckinReport.Volume volume(DeviceJson json, JsonNode node, String prefix) {
        int before = json.errorCount();
        json.onlyKnown(node, prefix, VOLUME_FIELDS);
        VolumeId volumeId = json.required(node, prefix, "volumeId", VolumeId::parse);
        VolumeType type = json.required(node, prefix, "volumeType", VolumeType::parse);
        DriveLabel label = json.optional(node, prefix, "driveLabel", DriveLabel::of);
        String status = json.required(node, prefix, "protectionStatus", DeviceJson.oneOf(PROTECTION_STATUS));
        String method = json.optional(node, prefix, "encryptionMethod", DeviceJson.word(32, "XtsAes256"));
        Set<String> protectors = new LinkedHashSet<>();
        List<JsonNode> protectorNodes = json.array(node, prefix, "keyProtectors", MAX_PROTECTORS, true,
                "protector types, like [\"Tpm\", \"RecoveryPassword\"]");
        for (int i = 0; i < protectorNodes.size(); i++) {
            String protectorType = json.parse(protectorNodes.get(i), prefix + "keyProtectors[" + i + "]", DeviceJson.word(32, "TpmPin"));
            if (protectorType != null) {
                protectors.add(protectorType);
            }
        }
        Set<ProtectorId> ids = new LinkedHashSet<>();
        List<JsonNode> idNodes = json.array(node, prefix, "recoveryPasswordIds", MAX_PROTECTORS, true,
                "the IDs of the volume's recovery password protectors (an empty array if it has none)");
        for (int i = 0; i < idNodes.size(); i++) {
            ProtectorId id = json.parse(idNodes.get(i), prefix + "recoveryPasswordIds[" + i + "]", ProtectorId::parse);
            if (id != null) {
                ids.add(id);
            }
        }
        if (!ids.isEmpty() && !protectors.isEmpty() && !protectors.contains("RecoveryPassword")) {
            json.error(prefix + "keyProtectors", "must list RecoveryPassword when recoveryPasswordIds is not empty");
        }
        if (json.errorCount() != before || volumeId == null || type == null || status == null) {
            return null;
        }
        return new CheckinReport.Volume(volumeId, type, label, status, method, List.copyOf(protectors), List.copyOf(ids));
    }

}
