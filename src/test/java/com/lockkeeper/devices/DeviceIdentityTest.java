package com.lockkeeper.devices;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.DatabaseServer;
import com.lockkeeper.testing.DeviceSimulator;
import com.lockkeeper.testing.DeviceSimulator.Action;
import com.lockkeeper.testing.DeviceSimulator.Volume;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.ServerPerDatabase;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;

/**
 * Device identity over real HTTP, on each database: a device enrolls with an enrollment token and
 * from then on acts, with its own credential, for its own computer and volumes only; another
 * device for the same computer waits for an admin and changes nothing meanwhile.
 */
@ParameterizedClass(name = "on {0}")
@ServerPerDatabase
class DeviceIdentityTest {

    static final Actor ADMIN = Actor.commandLine("admin", "test");

    @Parameter
    DatabaseServer server;

    String token;

    String newComputer() {
        return "DEV-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    DeviceSimulator device(String computer) {
        if (token == null) {
            token = server.newEnrollmentToken();
        }
        return new DeviceSimulator(server.api(), token, computer + ".corp.example.com");
    }

    Devices devices() {
        return server.bean(Devices.class);
    }

    @Test
    void aNewDeviceEnrollsAndItsCredentialEscrowsChecksInAndReportsForItsComputer() {
        String name = newComputer();
        DeviceSimulator pc = device(name);
        Response enrolled = pc.enroll();

        assertThat(enrolled.status()).isEqualTo(201);
        assertThat(enrolled.json().path("status").asString()).isEqualTo("enrolled");
        assertThat(enrolled.json().path("computer").asString()).isEqualTo(name);
        assertThat(pc.credential()).startsWith("lkd_");
        long deviceId = enrolled.json().path("deviceId").asLong();
        Volume c = pc.addVolume("OperatingSystem");
        assertThat(pc.escrowAll()).containsExactly(201);
        assertThat(pc.checkin()).isEmpty();
        assertThat(pc.recoveryPasswordUsed(c, c.recoveryPasswordIds().get(0), Instant.parse("2026-11-20T07:55:00Z"), 1).status())
                .isEqualTo(200);

        Map<String, Object> row = server.jdbc().sql("SELECT status, client_version, hardware_id, credential_hash FROM device WHERE id = :id")
                .param("id", deviceId).query().singleRow();
        assertThat(row).containsEntry("status", "active").containsEntry("client_version", DeviceSimulator.CLIENT_VERSION);
        assertThat(row.get("hardware_id").toString()).isEqualToIgnoringCase(pc.hardwareId());
        assertThat((byte[]) row.get("credential_hash")).hasSize(32).isNotEqualTo(pc.credential().getBytes());
        assertThat(server.jdbc().sql("SELECT device_id FROM recovery_key WHERE protector_id = :p")
                .param("p", c.recoveryPasswordIds().get(0).hex()).query(Long.class).single()).isEqualTo(deviceId);
        assertThat(auditDetails(name)).anySatisfy(d -> assertThat(d).contains("enrolled with hardware"))
                .noneSatisfy(d -> assertThat(d).contains(pc.credential()));
    }

    @Test
    void reenrollingTheSameHardwareReplacesTheCredentialAndIsAudited() {
        String name = newComputer();
        DeviceSimulator pc = device(name).enrolled();
        String old = pc.credential();
        long id = deviceId(name);

        Response again = pc.enroll();

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("status").asString()).isEqualTo("enrolled");
        assertThat(again.json().path("deviceId").asLong()).isEqualTo(id);
        assertThat(pc.credential()).isNotEqualTo(old);
        assertThat(pc.checkinResponse().status()).isEqualTo(200);
        Response refused = device(name).withCredential(old).checkinResponse();
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().path("detail").asString()).contains("enrolls again");
        assertThat(auditDetails(name)).anySatisfy(d -> assertThat(d).contains("a reimage", "previous credential no longer works"));
    }

    @Test
    void anotherDeviceForTheComputerWaitsItsEscrowIsStoredMarkedAndItChangesNothing() {
        String name = newComputer();
        DeviceSimulator pc = device(name).enrolled();
        Volume c = pc.addVolume("OperatingSystem");
        ProtectorId kept = c.recoveryPasswordIds().get(0);
        pc.escrowAll();
        pc.checkin();

        DeviceSimulator other = device(name).withUsers("CORP\\mallory");
        Response pending = other.enroll();
        assertThat(pending.status()).isEqualTo(202);
        assertThat(pending.json().path("status").asString()).isEqualTo("pending");
        assertThat(other.credential()).startsWith("lkd_");

        Volume d = other.addVolume("FixedData");
        assertThat(other.escrowAll()).as("escrow is never refused for identity").containsExactly(201);
        assertThat(server.jdbc().sql("SELECT unapproved FROM recovery_key WHERE protector_id = :p")
                .param("p", d.recoveryPasswordIds().get(0).hex()).query(Boolean.class).single()).isTrue();
        assertThat(users(name)).containsExactly("CORP\\alice");

        Volume sameVolume = other.addVolume(c.id(), "OperatingSystem");
        Response answer = other.checkinResponse();
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("device").asString()).isEqualTo("pending");
        assertThat(answer.json().path("actions")).isEmpty();
        assertThat(status(kept)).as("a pending device's check-in retires nothing").isEqualTo("active");
        Response events = other.recoveryPasswordUsed(sameVolume, kept, Instant.parse("2026-11-21T08:00:00Z"), 77);
        assertThat(events.json().path("ignored").asInt()).isEqualTo(1);
        assertThat(events.json().path("stored").asInt()).isZero();
        assertThat(status(kept)).isEqualTo("active");
        assertThat(pc.checkinResponse().status()).as("the computer's device keeps working").isEqualTo(200);
    }

    @Test
    void anApprovedDeviceReplacesTheOldOneAndActsInFull() {
        String name = newComputer();
        DeviceSimulator pc = device(name).enrolled();
        Volume c = pc.addVolume("OperatingSystem");
        ProtectorId old = c.recoveryPasswordIds().get(0);
        pc.escrowAll();

        DeviceSimulator replacement = device(name);
        assertThat(replacement.enroll().status()).isEqualTo(202);
        Volume same = replacement.addVolume(c.id(), "OperatingSystem");
        ProtectorId fresh = same.recoveryPasswordIds().get(0);
        replacement.escrowAll();
        long pendingId = server.jdbc().sql("SELECT MAX(d.id) FROM device d JOIN computer c ON c.id = d.computer_id WHERE c.name = :n")
                .param("n", name).query(Long.class).single();
        assertThat(devices().list(true)).extracting(EnrolledDevice::id).contains(pendingId);

        EnrolledDevice approved = devices().approve(pendingId, ADMIN);

        assertThat(approved.status()).isEqualTo(DeviceStatus.ACTIVE);
        assertThat(server.jdbc().sql("SELECT unapproved FROM recovery_key WHERE protector_id = :p").param("p", fresh.hex())
                .query(Boolean.class).single()).isFalse();
        assertThat(pc.checkinResponse().status()).as("the replaced device").isEqualTo(401);
        assertThat(replacement.checkin()).isEmpty();
        assertThat(status(old)).as("the approved device's check-in retires what is gone").isEqualTo("retired");
        assertThat(status(fresh)).isEqualTo("active");
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM audit_log WHERE action = 'device.approve' AND target = :t")
                .param("t", "computer " + name + " device " + pendingId).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aRejectedOrRevokedCredentialGets401() {
        String name = newComputer();
        DeviceSimulator pc = device(name).enrolled();
        DeviceSimulator other = device(name);
        other.enroll();
        long pendingId = deviceIds(name).get(1);

        devices().reject(pendingId, ADMIN);
        assertThat(other.checkinResponse().status()).isEqualTo(401);

        devices().revoke(deviceIds(name).get(0), ADMIN);
        assertThat(pc.checkinResponse().status()).isEqualTo(401);
        pc.addVolume("OperatingSystem");
        assertThat(pc.escrowAll()).containsExactly(401);
        assertThat(device(name).enroll().status()).as("after a revoke, the next enrollment waits").isEqualTo(202);
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM audit_log WHERE action IN ('device.reject', 'device.revoke') AND target LIKE :t")
                .param("t", "computer " + name + " %").query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void aDeviceCallingForAnotherComputerGets403AndChangesNothing() {
        DeviceSimulator pc = device(newComputer()).enrolled();
        String victim = newComputer();
        DeviceSimulator impostor = device(victim).withCredential(pc.credential());
        impostor.addVolume("OperatingSystem");

        assertThat(impostor.escrowAll()).containsExactly(403);
        Response checkin = impostor.checkinResponse();
        assertThat(checkin.status()).isEqualTo(403);
        assertThat(checkin.json().path("type").asString()).endsWith("/wrong-computer");
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM computer WHERE name = :n").param("n", victim).query(Long.class).single())
                .isZero();
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM audit_log WHERE action = 'device.refused' AND target = :t")
                .param("t", "computer " + victim).query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void aVolumeOfAnotherComputerIsRefusedWith409OnEveryEndpointAndNothingChanges() {
        DeviceSimulator owner = device(newComputer()).enrolled();
        Volume c = owner.addVolume("OperatingSystem");
        ProtectorId key = c.recoveryPasswordIds().get(0);
        owner.escrowAll();

        DeviceSimulator other = device(newComputer()).enrolled();
        Volume claimed = other.addVolume(c.id(), "OperatingSystem");
        Response escrow = other.escrow(claimed, claimed.recoveryPasswordIds().get(0));
        assertThat(escrow.status()).isEqualTo(409);
        assertThat(escrow.json().path("type").asString()).endsWith("/volume-of-another-computer");
        assertThat(escrow.json().path("detail").asString()).contains(c.id(),
                "lockkeeper device move-volume --volume " + c.id() + " --to " + other.computer().split("\\.")[0]);
        Response checkin = other.checkinResponse();
        assertThat(checkin.status()).isEqualTo(409);
        assertThat(checkin.json().path("type").asString()).endsWith("/volume-of-another-computer");
        Response events = other.recoveryPasswordUsed(claimed, key, Instant.parse("2026-11-22T09:00:00Z"), 5);
        assertThat(events.status()).isEqualTo(409);

        assertThat(status(key)).isEqualTo("active");
        assertThat(owner(c)).isEqualTo(owner.computer().split("\\.")[0]);
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM recovery_key WHERE protector_id = :p")
                .param("p", claimed.recoveryPasswordIds().get(0).hex()).query(Long.class).single()).isZero();

        devices().moveVolume(c.id(), other.computer(), ADMIN);
        assertThat(owner(c)).isEqualTo(other.computer().split("\\.")[0]);
        assertThat(other.escrowAll()).containsExactly(201);
    }

    @Test
    void anOldClientsEnrollmentTokenActsAsALegacyDeviceUntilTheComputerEnrolls() {
        String name = newComputer();
        DeviceSimulator old = device(name);
        Volume c = old.addVolume("OperatingSystem");
        assertThat(old.escrowAll()).containsExactly(201);
        assertThat(old.checkin()).isEmpty();
        assertThat(server.jdbc().sql("SELECT status FROM device d JOIN computer c ON c.id = d.computer_id WHERE c.name = :n")
                .param("n", name).query(String.class).list()).containsExactly("legacy");
        assertThat(auditDetails(name)).anySatisfy(d -> assertThat(d).contains("legacy device"));
        assertThat(users(name)).containsExactly("CORP\\alice");

        DeviceSimulator upgraded = device(name);
        Response adopted = upgraded.enroll();
        assertThat(adopted.status()).isEqualTo(200);
        assertThat(adopted.json().path("deviceId").asLong()).isEqualTo(deviceIds(name).get(0));
        assertThat(server.jdbc().sql("SELECT hardware_id FROM device WHERE id = :id").param("id", deviceIds(name).get(0))
                .query(UUID.class).single().toString()).isEqualToIgnoringCase(upgraded.hardwareId());

        ProtectorId another = old.addProtector(c);
        assertThat(old.escrowAll()).as("the token's escrow is stored").containsExactly(201);
        assertThat(server.jdbc().sql("SELECT unapproved FROM recovery_key WHERE protector_id = :p").param("p", another.hex())
                .query(Boolean.class).single()).isTrue();
        Response checkin = old.checkinResponse();
        assertThat(checkin.status()).isEqualTo(403);
        assertThat(checkin.json().path("type").asString()).endsWith("/device-credential-required");
        assertThat(old.reportEvents(List.of()).status()).isEqualTo(403);
    }

    @Test
    void usersReportedByAnApprovedDeviceAreAddedButNeverToUsersAnAdminOrImportSet() throws Exception {
        String name = newComputer();
        DeviceSimulator pc = device(name).withUsers("CORP\\alice").enrolled();
        pc.addVolume("OperatingSystem");
        pc.escrowAll();
        pc.withUsers("CORP\\bob");
        pc.addVolume("FixedData");
        pc.escrowAll();
        assertThat(users(name)).containsExactly("CORP\\alice", "CORP\\bob");
        assertThat(server.jdbc().sql("SELECT DISTINCT u.source FROM computer_user u JOIN computer c ON c.id = u.computer_id"
                + " WHERE c.name = :n").param("n", name).query(String.class).list()).containsExactly("device");

        String imported = newComputer();
        java.nio.file.Path file = java.nio.file.Files.createTempFile("import", ".jsonl");
        try {
            Map<String, Object> line = Escrows.body(imported, Escrows.newPassword());
            line.put("users", List.of("CORP\\carol"));
            java.nio.file.Files.writeString(file, Escrows.json(line) + "\n");
            server.bean(com.lockkeeper.escrow.EscrowImport.class).importFile(file, ADMIN, n -> { });
        } finally {
            java.nio.file.Files.delete(file);
        }
        DeviceSimulator importedPc = device(imported).withUsers("CORP\\mallory").enrolled();
        importedPc.addVolume("OperatingSystem");
        assertThat(importedPc.escrowAll()).containsExactly(201);
        assertThat(users(imported)).containsExactly("CORP\\carol");
        assertThat(auditDetails(imported)).anySatisfy(d -> assertThat(d).contains("users reported but not associated"));
    }

    private List<String> auditDetails(String computer) {
        return server.jdbc().sql("SELECT detail FROM audit_log WHERE target LIKE :t ORDER BY at")
                .param("t", "%" + computer + "%").query(String.class).list();
    }

    private long deviceId(String computer) {
        return deviceIds(computer).get(0);
    }

    private List<Long> deviceIds(String computer) {
        return server.jdbc().sql("SELECT d.id FROM device d JOIN computer c ON c.id = d.computer_id WHERE c.name = :n ORDER BY d.id")
                .param("n", computer).query(Long.class).list();
    }

    private List<String> users(String computer) {
        return server.jdbc().sql("SELECT u.account FROM computer_user u JOIN computer c ON c.id = u.computer_id WHERE c.name = :n"
                + " ORDER BY u.account").param("n", computer).query(String.class).list();
    }

    private String status(ProtectorId id) {
        return server.jdbc().sql("SELECT status FROM recovery_key WHERE protector_id = :p").param("p", id.hex())
                .query(String.class).single();
    }

    private String owner(Volume volume) {
        return server.jdbc().sql("SELECT c.name FROM volume v JOIN computer c ON c.id = v.computer_id WHERE v.volume_guid = :g")
                .param("g", UUID.fromString(volume.id())).query(String.class).single();
    }
}
