package com.lockkeeper.migration;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import com.lockkeeper.escrow.EscrowCommand;
import com.lockkeeper.escrow.EscrowImport.Item;
import com.lockkeeper.support.InvalidValueException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The CSV the Configuration Manager and MBAM queries of docs/migration.md write: one key per row,
 * columns ComputerName, VolumeGuid, RecoveryKeyId, RecoveryKey, and optionally VolumeType,
 * KeyPackage (base64, or hex with 0x) and LastUpdateTime. Every row is checked before any is imported.
 */
final class MbamCsv {

    static final List<String> REQUIRED = List.of("ComputerName", "VolumeGuid", "RecoveryKeyId", "RecoveryKey");
    static final int MAX_KEY_PACKAGE_BYTES = 16 * 1024;
    private static final String HOW_TO_REWRITE = "write it with `sqlcmd -f 65001` or `Export-Csv -Encoding UTF8` (or Unicode)";

    private MbamCsv() {
    }

    static List<Item> read(Path file, Clock clock) {
        String name = file.getFileName().toString();
        List<CsvRows.Row> rows = CsvRows.parse(TextFiles.read(file, HOW_TO_REWRITE), name, REQUIRED);
        Entries entries = new Entries(name, "row");
        for (CsvRows.Row row : rows) {
            entries.begin();
            int columns = CsvRows.wrongColumnCount(row);
            if (columns >= 0) {
                entries.problem("has " + columns + " field(s) where the header has " + (row.fields().size() - 1)
                        + " (a comma in a value that is not in double quotes?)");
            }
            ComputerName computer = entries.field("ComputerName", row.get("ComputerName"), true, ComputerName::parse);
            VolumeId volume = entries.field("VolumeGuid", row.get("VolumeGuid"), true, VolumeId::parse);
            ProtectorId id = entries.field("RecoveryKeyId", row.get("RecoveryKeyId"), true, ProtectorId::parse);
            RecoveryPassword password = entries.field("RecoveryKey", row.get("RecoveryKey"), true, RecoveryPassword::parse);
            VolumeType type = entries.field("VolumeType", row.get("VolumeType"), false, MbamCsv::volumeType);
            byte[] keyPackage = entries.field("KeyPackage", row.get("KeyPackage"), false, MbamCsv::keyPackage);
            Instant created = entries.field("LastUpdateTime", row.get("LastUpdateTime"), false, text -> Times.parse(text, clock));
            if (entries.end(row.where())) {
                entries.items.add(new Item(row.where(), new EscrowCommand(computer, volume,
                        type == null ? VolumeType.OPERATING_SYSTEM : type, null, id, password, keyPackage, List.of(), created)));
            }
        }
        return entries.checked();
    }

    /** Lockkeeper's names, or BitLocker's numbers (0 operating system, 1 fixed data, 2 removable data). */
    static VolumeType volumeType(String text) {
        return switch (text.strip()) {
            case "0" -> VolumeType.OPERATING_SYSTEM;
            case "1" -> VolumeType.FIXED_DATA;
            case "2" -> VolumeType.REMOVABLE_DATA;
            default -> VolumeType.parse(text);
        };
    }

    static byte[] keyPackage(String text) {
        byte[] bytes;
        try {
            bytes = text.startsWith("0x") || text.startsWith("0X") ? HexFormat.of().parseHex(text.substring(2))
                    : Base64.getMimeDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidValueException("is neither base64 nor 0x followed by hex digits");
        }
        if (bytes.length == 0 || bytes.length > MAX_KEY_PACKAGE_BYTES) {
            throw new InvalidValueException("must be 1 to " + MAX_KEY_PACKAGE_BYTES + " bytes");
        }
        return bytes;
    }
}
