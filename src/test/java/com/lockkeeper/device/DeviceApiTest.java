package com.lockkeeper.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.DatabaseServer;
import com.lockkeeper.testing.DeviceSimulator;
import com.lockkeeper.testing.DeviceSimulator.Action;
import com.lockkeeper.testing.DeviceSimulator.Volume;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.ServerPerDatabase;
import com.lockkeeper.users.Role;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;

/**
 * The device API — `POST /api/v1/checkin` and `POST /api/v1/events` — and the rotation after
 * disclosure, driven by the device simulator over real HTTP, on each database.
 */
@ParameterizedClass(name = "on {0}")
@ServerPerDatabase
class DeviceApiTest {

    static final String ALICE_CALLS = """
            {"requester": "CORP\\\\alice", "identityVerification": "Call back to the number on file",
             "reason": "Lost or forgotten PIN", "notes": "new PIN forgotten"}""";

    @Parameter
    DatabaseServer server;

    /** A simulated device, enrolled with a new enrollment token: it calls with its own credential. */
    DeviceSimulator device() {
        return new DeviceSimulator(server.api(), server.newEnrollmentToken(), "PC-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase()
                + ".corp.example.com").enrolled();
    }

    @Test
    void aRevealedKeyIsRotatedByTheDeviceAndRetiredOnlyWhenItsCheckInShowsItGone() {
        DeviceSimulator pc = device();
        Volume c = pc.addVolume("OperatingSystem");
        ProtectorId old = c.recoveryPasswordIds().get(0);
        assertThat(pc.escrowAll()).containsExactly(201);
        assertThat(pc.checkin()).isEmpty();

        String helpdesk = People.token(server.context(), People.add(server.context(), "hd", Role.HELPDESK));
        Response reveal = server.api().post("/api/v1/recovery-keys/" + old.hex() + "/reveal", helpdesk, ALICE_CALLS);
        assertThat(reveal.status()).isEqualTo(200);
        assertThat(status(old)).isEqualTo("disclosed");

        List<Action> asked = pc.checkin();
        assertThat(asked).containsExactly(new Action("rotate", c.id(), old));
        pc.follow(asked);
        ProtectorId fresh = c.recoveryPasswordIds().get(0);
        assertThat(fresh).isNotEqualTo(old);
        assertThat(c.recoveryPasswordIds()).containsExactly(fresh);
        assertThat(status(fresh)).isEqualTo("active");
        assertThat(status(old)).as("disclosed until the device's check-in confirms").isEqualTo("disclosed");

        assertThat(pc.checkin()).isEmpty();
        assertThat(status(old)).isEqualTo("retired");
        assertThat(retiredReason(old)).isEqualTo("rotated");
        assertThat(status(fresh)).isEqualTo("active");
        assertThat(server.jdbc().sql("SELECT state FROM device_action WHERE protector_id = :p AND kind = 'rotate'")
                .param("p", old.hex()).query(String.class).single()).isEqualTo("done");
        assertThat(server.jdbc().sql("SELECT source, recovery_reason, requester FROM recovery_event WHERE protector_id = :p")
                .param("p", old.hex()).query().singleRow())
                .containsEntry("source", "api").containsEntry("recovery_reason", "Lost or forgotten PIN")
                .containsEntry("requester", "CORP\\alice (associated user)");
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM audit_log WHERE action = 'key.retire' AND target = :t")
                .param("t", "key " + old).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void aDeviceThatNeverConfirmsKeepsTheKeyDisclosedAndIsAskedAgain() {
        DeviceSimulator pc = device().ignoringRotations();
        Volume c = pc.addVolume("OperatingSystem");
        ProtectorId key = c.recoveryPasswordIds().get(0);
        pc.escrowAll();
        reveal(key);

        for (int run = 0; run < 3; run++) {
            assertThat(pc.run()).containsExactly(new Action("rotate", c.id(), key));
        }
        assertThat(status(key)).isEqualTo("disclosed");
        assertThat(server.jdbc().sql("SELECT state FROM device_action WHERE protector_id = :p").param("p", key.hex())
                .query(String.class).list()).containsExactly("pending");
        assertThat(server.jdbc().sql("SELECT last_checkin_at FROM computer WHERE name = :n").param("n", pc.computer().split("\\.")[0])
                .query(java.time.OffsetDateTime.class).single()).isNotNull();
    }

    @Test
    void aProtectorReportedButNeverEscrowedIsFlaggedUntilTheDeviceEscrowsIt() {
        DeviceSimulator pc = device();
        Volume d = pc.addVolume("FixedData");
        ProtectorId unescrowed = d.recoveryPasswordIds().get(0);

        List<Action> asked = pc.checkin();
        assertThat(asked).containsExactly(new Action("escrow", d.id(), unescrowed));
        assertThat(pc.checkin()).as("asked once, still pending").containsExactly(new Action("escrow", d.id(), unescrowed));
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM audit_log WHERE action = 'key.escrow-requested' AND target = :t")
                .param("t", "key " + unescrowed).query(Long.class).single()).isEqualTo(1);

        pc.follow(asked);
        assertThat(status(unescrowed)).isEqualTo("active");
        assertThat(server.jdbc().sql("SELECT state FROM device_action WHERE protector_id = :p").param("p", unescrowed.hex())
                .query(String.class).single()).isEqualTo("done");
        assertThat(pc.checkin()).isEmpty();
        assertThat(server.jdbc().sql("SELECT protection_status || ' ' || encryption_method || ' ' || key_protectors FROM volume"
                + " WHERE volume_guid = :v").param("v", UUID.fromString(d.id())).query(String.class).single())
                .isEqualTo("On XtsAes256 RecoveryPassword");
    }

    @Test
    void anActiveKeyWhoseProtectorIsGoneFromTheDeviceIsRetiredAsRemovedOnDevice() {
        DeviceSimulator pc = device();
        Volume c = pc.addVolume("OperatingSystem");
        ProtectorId first = c.recoveryPasswordIds().get(0);
        ProtectorId second = pc.addProtector(c);
        pc.escrowAll();
        pc.removeProtector(c, first);

        assertThat(pc.checkin()).isEmpty();

        assertThat(status(first)).isEqualTo("retired");
        assertThat(retiredReason(first)).isEqualTo("removed on device");
        assertThat(status(second)).isEqualTo("active");
    }

    @Test
    void aMalformedCheckInNamesTheFieldAndChangesNothing() {
        String computer = "BAD-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        String token = server.newEnrollmentToken();
        Response response = server.api().post("/api/v1/checkin", token, """
                {"computer": "%s", "volumes": [{"volumeId": "not-a-guid", "volumeType": "OperatingSystem",
                  "protectionStatus": "Maybe", "keyProtectors": ["Tpm"], "recoveryPasswordIds": ["{123}"], "colour": "red"}]}"""
                .formatted(computer));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().path("errors").findValuesAsString("field")).contains("volumes[0].volumeId",
                "volumes[0].protectionStatus", "volumes[0].recoveryPasswordIds[0]", "volumes[0].colour");
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM computer WHERE name = :n").param("n", computer).query(Long.class).single())
                .isZero();

        Response noVolumes = server.api().post("/api/v1/checkin", token, "{\"computer\": \"" + computer + "\"}");
        assertThat(noVolumes.status()).isEqualTo(400);
        assertThat(noVolumes.json().path("errors").get(0).path("field").asString()).isEqualTo("volumes");
    }

    @Test
    void onlyADeviceEnrollmentTokenMayCheckIn() {
        String body = device().checkinJson();
        assertThat(server.api().post("/api/v1/checkin", null, body).status()).isEqualTo(401);
        String personal = People.token(server.context(), People.add(server.context(), "admin", Role.ADMIN));
        assertThat(server.api().post("/api/v1/checkin", personal, body).status()).isIn(401, 403);
    }

    @Test
    void aRecoveryPasswordUsedOnTheDeviceIsDisclosedAndRotatedThoughNobodyAskedTheHelpdesk() {
        DeviceSimulator pc = device();
        Volume c = pc.addVolume("OperatingSystem");
        ProtectorId printed = c.recoveryPasswordIds().get(0);
        pc.escrowAll();
        assertThat(pc.checkin()).isEmpty();

        Response sent = pc.recoveryPasswordUsed(c, printed, Instant.parse("2026-11-20T07:55:00Z"), 4711);
        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.json().path("stored").asInt()).isEqualTo(1);
        assertThat(status(printed)).isEqualTo("disclosed");

        Response again = pc.recoveryPasswordUsed(c, printed, Instant.parse("2026-11-20T07:55:00Z"), 4711);
        assertThat(again.json().path("duplicates").asInt()).isEqualTo(1);
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM recovery_event WHERE protector_id = :p").param("p", printed.hex())
                .query(Long.class).single()).isEqualTo(1);
        assertThat(server.jdbc().sql("SELECT event_log || ' ' || event_id || ' ' || protection_mode || ' ' || pcr_profile || ' '"
                        + " || firmware_version || ' ' || unlocked_by FROM recovery_event WHERE protector_id = :p")
                .param("p", printed.hex()).query(String.class).single())
                .isEqualTo("BitLocker-Driver 24652 Tpm 7,11 1.14.0 RecoveryPassword");

        assertThat(pc.run()).containsExactly(new Action("rotate", c.id(), printed));
        assertThat(pc.checkin()).isEmpty();
        assertThat(status(printed)).isEqualTo("retired");
        assertThat(retiredReason(printed)).isEqualTo("rotated");
        assertThat(status(c.recoveryPasswordIds().get(0))).isEqualTo("active");
    }

    @Test
    void aRecoveryWithoutAProtectorIdDisclosesEveryLiveKeyOfTheVolumeAndOtherEventsDiscloseNothing() {
        DeviceSimulator pc = device();
        Volume c = pc.addVolume("OperatingSystem");
        ProtectorId first = c.recoveryPasswordIds().get(0);
        ProtectorId second = pc.addProtector(c);
        pc.escrowAll();

        Response pcrChanged = pc.reportEvents(List.of(Map.of("volumeId", c.id(), "time", "2026-11-20T07:50:00Z",
                "source", "BitLocker-API", "eventId", 522, "recordId", 1, "message", "boot application changed")));
        assertThat(pcrChanged.status()).isEqualTo(200);
        assertThat(status(first)).isEqualTo("active");

        Response used = pc.reportEvents(List.of(Map.of("volumeId", c.id(), "time", "2026-11-20T07:55:00Z",
                "source", "BitLocker-Driver", "eventId", 24652)));
        assertThat(used.status()).isEqualTo(200);
        assertThat(status(first)).isEqualTo("disclosed");
        assertThat(status(second)).isEqualTo("disclosed");
        assertThat(pc.checkin()).extracting(Action::type).containsExactly("rotate", "rotate");
    }

    void reveal(ProtectorId id) {
        String helpdesk = People.token(server.context(), People.add(server.context(), "hd", Role.HELPDESK));
        assertThat(server.api().post("/api/v1/recovery-keys/" + id.hex() + "/reveal", helpdesk, ALICE_CALLS).status()).isEqualTo(200);
    }

    String status(ProtectorId id) {
        return server.jdbc().sql("SELECT status FROM recovery_key WHERE protector_id = :p").param("p", id.hex()).query(String.class).single();
    }

    String retiredReason(ProtectorId id) {
        return server.jdbc().sql("SELECT retired_reason FROM recovery_key WHERE protector_id = :p").param("p", id.hex())
                .query(String.class).single();
    }
}
