package com.lockkeeper.migration;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import com.lockkeeper.computers.KeysAwaitingVolume;
import com.lockkeeper.escrow.EscrowCommand;
import com.lockkeeper.escrow.EscrowImport.Item;
import com.lockkeeper.support.InvalidValueException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The file clients/windows/Export-EntraRecoveryKeys.ps1 writes: a JSON array (or JSON Lines) of
 * Microsoft Graph bitlockerRecoveryKey objects read with {@code $select=key} ({@code id},
 * {@code createdDateTime}, {@code volumeType}, {@code deviceId}, {@code key}) and the device's
 * {@code displayName}. Entra ID does not know a key's volume GUID: each key goes to a placeholder
 * volume of its computer, named from the device ID and volume type, until the device reports it.
 */
final class EntraExport {

    static final String SOURCE = "entra";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String HOW_TO_REWRITE = "write it again with Export-EntraRecoveryKeys.ps1 (docs/migration.md, \"Entra ID\")";

    /** The escrows, and the placeholder volumes they are stored on. */
    record Read(List<Item> items, Set<VolumeId> placeholders) {
    }

    private EntraExport() {
    }

    static Read read(Path file, Clock clock) {
        String name = file.getFileName().toString();
        List<Entry> entries = entries(TextFiles.read(file, HOW_TO_REWRITE), name);
        Entries checked = new Entries(name, "key");
        Set<VolumeId> placeholders = new LinkedHashSet<>();
        for (Entry entry : entries) {
            checked.begin();
            JsonNode key = entry.node();
            if (!key.isObject()) {
                checked.problem("is not a JSON object");
                checked.end(entry.where());
                continue;
            }
            ProtectorId id = checked.field("id", text(key, "id"), true, ProtectorId::parse);
            UUID device = checked.field("deviceId", text(key, "deviceId"), true, EntraExport::guid);
            VolumeType type = checked.field("volumeType", text(key, "volumeType"), true, EntraExport::volumeType);
            RecoveryPassword password = checked.field("key", text(key, "key"), true, RecoveryPassword::parse);
            Instant created = checked.field("createdDateTime", text(key, "createdDateTime"), false, t -> Times.parse(t, clock));
            ComputerName computer = null;
            if (text(key, "displayName") == null) {
                checked.problem("displayName is empty (the device is gone from Entra ID? put the computer's name in"
                        + " displayName, or remove the key from the file)");
            } else {
                computer = checked.field("displayName", text(key, "displayName"), true, ComputerName::parse);
            }
            if (checked.end(entry.where())) {
                VolumeId placeholder = KeysAwaitingVolume.placeholder(SOURCE, device.toString(), type.apiName());
                placeholders.add(placeholder);
                checked.items.add(new Item(entry.where(), new EscrowCommand(computer, placeholder, type, null, id, password,
                        null, List.of(), created)));
            }
        }
        return new Read(checked.checked(), placeholders);
    }

    private record Entry(String where, JsonNode node) {
    }

    /** A JSON array (what ConvertTo-Json writes), a single object, or JSON Lines. */
    private static List<Entry> entries(String text, String name) {
        List<Entry> entries = new ArrayList<>();
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            throw new InvalidSourceException(name + " is empty");
        }
        if (trimmed.startsWith("[")) {
            JsonNode array;
            try {
                array = JSON.readTree(trimmed);
            } catch (RuntimeException e) {
                throw new InvalidSourceException(name + " starts like a JSON array but is not valid JSON (" + e.getClass().getSimpleName()
                        + "): write it again with the export script");
            }
            for (int i = 0; i < array.size(); i++) {
                entries.add(new Entry("item " + (i + 1), array.get(i)));
            }
            return entries;
        }
        String[] lines = text.split("\\R", -1);
        List<String> unreadable = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                entries.add(new Entry("line " + (i + 1), JSON.readTree(lines[i])));
            } catch (RuntimeException e) {
                unreadable.add("line " + (i + 1) + ": is not JSON");
            }
        }
        if (!unreadable.isEmpty()) {
            try {
                return List.of(new Entry("item 1", JSON.readTree(trimmed)));  // one object, over several lines
            } catch (RuntimeException notOneObject) {
                throw InvalidSourceException.listing(name + " (neither a JSON array nor JSON Lines)", unreadable.size(),
                        unreadable.subList(0, Math.min(unreadable.size(), InvalidSourceException.SHOWN)), "line");
            }
        }
        return entries;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        String text = value.isValueNode() ? value.asString() : value.toString();
        return text.isBlank() ? null : text;
    }

    private static UUID guid(String text) {
        try {
            return UUID.fromString(text.strip().replace("{", "").replace("}", ""));
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("a device ID (a GUID) was expected");
        }
    }

    /** Graph's volumeType: 1 operatingSystemVolume, 2 fixedDataVolume, 3 removableDataVolume, by number or name. */
    static VolumeType volumeType(String text) {
        return switch (text.strip().toLowerCase(Locale.ROOT)) {
            case "1", "operatingsystemvolume" -> VolumeType.OPERATING_SYSTEM;
            case "2", "fixeddatavolume" -> VolumeType.FIXED_DATA;
            case "3", "removabledatavolume" -> VolumeType.REMOVABLE_DATA;
            default -> throw new InvalidValueException("must be 1 (operatingSystemVolume), 2 (fixedDataVolume) or"
                    + " 3 (removableDataVolume)");
        };
    }
}
