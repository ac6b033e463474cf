package com.lockkeeper.testing;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.DriveLabel;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import com.lockkeeper.escrow.EscrowCommand;
import com.lockkeeper.escrow.EscrowOutcome;
import com.lockkeeper.escrow.EscrowService;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationContext;

/** Escrowed keys for helpdesk and self-service tests, through the real escrow service. */
public final class Recoveries {

    /** An escrowed key: its password ID and password, as the test knows them. */
    public record Escrowed(ProtectorId id, RecoveryPassword password, String computer) {
    }

    private Recoveries() {
    }

    public static Escrowed escrow(ApplicationContext server, String computer, String user, Instant createdAt) {
        return escrow(server, computer, user, createdAt, ProtectorId.parse(Escrows.newGuid()));
    }

    public static Escrowed escrow(ApplicationContext server, String computer, String user, Instant createdAt, ProtectorId id) {
        RecoveryPassword password = Escrows.newPassword();
        ComputerName name = ComputerName.parse(computer);
        EscrowCommand command = new EscrowCommand(name, VolumeId.of(UUID.randomUUID()), VolumeType.OPERATING_SYSTEM,
                DriveLabel.of(name.name() + " C: 11/23/2026"), id, password, ("key package of " + id).getBytes(),
                List.of(user), createdAt);
        EscrowOutcome outcome = server.getBean(EscrowService.class).escrow(command, Actor.device("test"));
        if (outcome != EscrowOutcome.CREATED) {
            throw new IllegalStateException("escrow was " + outcome);
        }
        return new Escrowed(id, password, name.name());
    }

    /** A protector ID starting with the given 8 hex digits. */
    public static ProtectorId idStartingWith(String eightHex) {
        String rest = UUID.randomUUID().toString().toUpperCase().substring(8);
        return ProtectorId.parse(eightHex + rest);
    }
}
