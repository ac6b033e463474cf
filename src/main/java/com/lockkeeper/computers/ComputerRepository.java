package com.lockkeeper.computers;

import static com.lockkeeper.support.DbTime.toDb;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.DriveLabel;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;

/** SQL for computers, their volumes and associated users. */
public class ComputerRepository {

    private final JdbcClient jdbc;

    ComputerRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The computer's row id, creating the computer if it is new; a newly learnt domain is kept. */
    public long upsertComputer(ComputerName computer, Instant now) {
        String domain = computer.domain().orElse(null);
        jdbc.sql("""
                        INSERT INTO computer (name, domain, created_at, updated_at) VALUES (:name, :domain, :now, :now)
                        ON CONFLICT DO NOTHING""")
                .param("name", computer.name())
                .param("domain", domain)
                .param("now", toDb(now))
                .update();
        if (domain != null) {
            jdbc.sql("""
                            UPDATE computer SET domain = :domain, updated_at = :now
                            WHERE name = :name AND (domain IS NULL OR domain <> :domain)""")
                    .param("domain", domain)
                    .param("now", toDb(now))
                    .param("name", computer.name())
                    .update();
        }
        return jdbc.sql("SELECT id FROM computer WHERE name = :name").param("name", computer.name()).query(Long.class).single();
    }

    /** The volume's row id, creating it if new; its computer, type and label follow the latest escrow. */
    public long upsertVolume(long computerId, VolumeId volume, VolumeType type, DriveLabel label, Instant now) {
        String labelText = label == null ? null : label.value();
        jdbc.sql("""
                        INSERT INTO volume (volume_guid, computer_id, volume_type, drive_label, created_at, updated_at)
                        VALUES (:guid, :computer, :type, :label, :now, :now)
                        ON CONFLICT DO NOTHING""")
                .param("guid", volume.uuid())
                .param("computer", computerId)
                .param("type", type.apiName())
                .param("label", labelText)
                .param("now", toDb(now))
                .update();
        String changed = "computer_id <> :computer OR volume_type <> :type";
        String setLabel = "";
        if (labelText != null) {
            changed += " OR drive_label IS NULL OR drive_label <> :label";
            setLabel = ", drive_label = :label";
        }
        var update = jdbc.sql("UPDATE volume SET computer_id = :computer, volume_type = :type" + setLabel
                        + ", updated_at = :now WHERE volume_guid = :guid AND (" + changed + ")")
                .param("computer", computerId)
                .param("type", type.apiName())
                .param("now", toDb(now))
                .param("guid", volume.uuid());
        if (labelText != null) {
            update = update.param("label", labelText);
        }
        update.update();
        return jdbc.sql("SELECT id FROM volume WHERE volume_guid = :guid").param("guid", volume.uuid()).query(Long.class).single();
    }

    /** Associates users with the computer; accounts compare case-insensitively, as Windows does. */
    public void addUsers(long computerId, List<String> accounts, Instant now) {
        for (String account : accounts) {
            long known = jdbc.sql("SELECT COUNT(*) FROM computer_user WHERE computer_id = :id AND LOWER(account) = LOWER(:account)")
                    .param("id", computerId).param("account", account).query(Long.class).single();
            if (known == 0) {
                jdbc.sql("INSERT INTO computer_user (computer_id, account, added_at) VALUES (:id, :account, :now) ON CONFLICT DO NOTHING")
                        .param("id", computerId).param("account", account).param("now", toDb(now)).update();
            }
        }
    }

    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM computer").query(Long.class).single();
    }
}
