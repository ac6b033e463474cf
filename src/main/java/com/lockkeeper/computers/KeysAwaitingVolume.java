package com.lockkeeper.computers;

import static com.lockkeeper.support.DbTime.toDb;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Keys imported without their volume (from Entra ID, which knows a key's device and volume type but
 * not its volume GUID) wait on a placeholder volume of their computer, sealed to the placeholder's
 * GUID. When the computer's device reports such a key's protector on a real volume, the key moves
 * there; what its secrets are sealed to stays the placeholder's GUID, recorded on the key.
 * A key never moves to another computer this way: protector IDs are not secret.
 */
public final class KeysAwaitingVolume {

    /** A placeholder volume's GUID: name-based, from where the key came from, so a repeated import finds the same one. */
    public static VolumeId placeholder(String source, String deviceId, String volumeType) {
        return VolumeId.of(UUID.nameUUIDFromBytes(("lockkeeper/placeholder-volume/" + source + "/" + deviceId + "/" + volumeType)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    private record Waiting(long keyId, ProtectorId protectorId, long volumeRowId, UUID placeholder) {
    }

    private final JdbcClient jdbc;
    private final AuditLog audit;

    KeysAwaitingVolume(JdbcClient jdbc, AuditLog audit) {
        this.jdbc = jdbc;
        this.audit = audit;
    }

    /** Marks these volumes (created by an import, by GUID) as placeholders. */
    public void markPlaceholders(Collection<VolumeId> volumes, Instant now) {
        if (volumes.isEmpty()) {
            return;
        }
        jdbc.sql("UPDATE volume SET placeholder = TRUE, updated_at = :now WHERE volume_guid IN (:guids) AND placeholder = FALSE")
                .param("now", toDb(now)).param("guids", volumes.stream().map(VolumeId::uuid).toList()).update();
    }

    /**
     * Moves the keys among {@code reported} that wait on a placeholder volume of the same computer to
     * the volume the device reported them on ({@code volumeRowId}, {@code volume}); each move is audited.
     * Call it in the check-in's transaction, before keys are compared with what the device reports.
     *
     * @return how many keys were attached
     */
    public int attachReported(long volumeRowId, VolumeId volume, Collection<ProtectorId> reported, Actor actor, Instant now) {
        if (reported.isEmpty()) {
            return 0;
        }
        List<Waiting> waiting = jdbc.sql("""
                        SELECT k.id, k.protector_id, k.volume_id, p.volume_guid
                        FROM recovery_key k
                        JOIN volume p ON p.id = k.volume_id
                        JOIN volume r ON r.id = :volume
                        WHERE k.protector_id IN (:ids) AND p.placeholder = TRUE AND p.computer_id = r.computer_id
                        ORDER BY k.id""")
                .param("volume", volumeRowId)
                .param("ids", reported.stream().map(ProtectorId::hex).toList())
                .query((rs, row) -> new Waiting(rs.getLong(1), ProtectorId.fromHex(rs.getString(2)), rs.getLong(3),
                        rs.getObject(4, UUID.class)))
                .list();
        int attached = 0;
        for (Waiting key : waiting) {
            int moved = jdbc.sql("""
                            UPDATE recovery_key SET volume_id = :volume, sealed_volume_guid = COALESCE(sealed_volume_guid, :placeholder)
                            WHERE id = :id AND volume_id = :from""")
                    .param("volume", volumeRowId).param("placeholder", key.placeholder())
                    .param("id", key.keyId()).param("from", key.volumeRowId())
                    .update();
            if (moved == 1) {
                attached++;
                audit.record(AuditEntry.success(actor, AuditAction.KEY_ATTACH, "key " + key.protectorId() + " volume " + volume,
                        "imported without its volume; the device reported its protector on this volume (it stays sealed to"
                                + " placeholder " + key.placeholder() + ")"));
            }
        }
        return attached;
    }
}
