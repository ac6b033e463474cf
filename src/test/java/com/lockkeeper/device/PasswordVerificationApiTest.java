package com.lockkeeper.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.analysis.Timeline;
import com.lockkeeper.analysis.TimelineEntry;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.computers.ComputerRepository;
import com.lockkeeper.computers.ComputerSearch;
import com.lockkeeper.keys.RecordBinding;
import com.lockkeeper.keys.RecordOpener;
import com.lockkeeper.keys.SealedRecord;
import com.lockkeeper.reports.Report;
import com.lockkeeper.reports.ReportFilters;
import com.lockkeeper.reports.Reports;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.DatabaseServer;
import com.lockkeeper.testing.DeviceSimulator;
import com.lockkeeper.testing.DeviceSimulator.Action;
import com.lockkeeper.testing.DeviceSimulator.Volume;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.ServerPerDatabase;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;

/**
 * Check-in verifiers over real HTTP, on each database: a device shows that the escrowed password
 * is the one it has; when it is not, the key is flagged, the device asked to escrow it again, and
 * only that escrow replaces the stored copy, which is kept.
 */
@ParameterizedClass(name = "on {0}")
@ServerPerDatabase
class PasswordVerificationApiTest {

    @Parameter
    DatabaseServer server;

    DeviceSimulator device() {
        return new DeviceSimulator(server.api(), server.newEnrollmentToken(),
                "VER-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase() + ".corp.example.com");
    }

    @Test
    void aMatchingVerifierRecordsWhenTheKeyWasVerified() {
        DeviceSimulator pc = device();
        Volume c = pc.addVolume("OperatingSystem");
        ProtectorId key = c.recoveryPasswordIds().get(0);
        pc.escrowAll();
        assertThat(column("verified_at", key)).isNull();

        assertThat(pc.checkin()).isEmpty();

        assertThat(column("verified_at", key)).isNotNull();
        assertThat(column("differs_at", key)).isNull();
        assertThat(audits("key.differs", key)).isZero();
    }

    @Test
    void aMismatchIsAuditedAskedAsAnEscrowWithReasonAndOnlyTheDevicesPasswordReplacesTheStoredOneWhichIsKept() {
        DeviceSimulator pc = device();
        Volume c = pc.addVolume("OperatingSystem");
        ProtectorId key = c.recoveryPasswordIds().get(0);
        RecoveryPassword escrowed = c.password(key);
        pc.escrowAll();
        byte[] escrowedCiphertext = server.jdbc().sql("SELECT password_ct FROM key_secret JOIN recovery_key ON recovery_key.id = key_secret.key_id WHERE protector_id = :p")
                .param("p", key.hex()).query(byte[].class).single();
        RecoveryPassword onDevice = pc.changePasswordOnDevice(c, key);

        List<Action> asked = pc.checkin();

        assertThat(asked).containsExactly(new Action("escrow", c.id(), key, "differs"));
        assertThat(column("differs_at", key)).isNotNull();
        assertThat(audits("key.differs", key)).isEqualTo(1);
        assertThat(server.bean(ComputerSearch.class).key(key).orElseThrow().differsFromDevice()).as("the helpdesk is warned")
                .isTrue();
        assertThat(pc.checkin()).as("still asked, audited once").containsExactly(new Action("escrow", c.id(), key, "differs"));
        assertThat(audits("key.differs", key)).isEqualTo(1);
        assertThat(rows("escrow-drift", pc)).singleElement().satisfies(row -> {
            assertThat(row.get("differsFromDevice")).isEqualTo(key.shortId());
            assertThat(row.get("escrowRequested")).isEqualTo(key.shortId());
        });
        assertThat(rows("computer-compliance", pc)).singleElement().satisfies(row -> {
            assertThat(row.get("compliant")).isEqualTo("no");
            assertThat((String) row.get("why")).contains("escrowed password differs from the device");
        });

        Map<String, Object> unrelated = escrowBody(pc, c, key, Escrows.newPassword());
        Response conflict = server.api().post("/api/v1/escrow", token(pc), Escrows.json(unrelated));
        assertThat(conflict.status()).as("a password the device did not report").isEqualTo(409);
        Response stale = server.api().post("/api/v1/escrow", token(pc), Escrows.json(escrowBody(pc, c, key, escrowed)));
        assertThat(stale.status()).as("the stored password again").isEqualTo(200);
        assertThat(stale.json().path("status").asString()).isEqualTo("already-stored");

        pc.follow(asked);

        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM superseded_key WHERE protector_id = :p").param("p", key.hex())
                .query(Long.class).single()).isEqualTo(1);
        byte[] kept = server.jdbc().sql("SELECT password_ct FROM superseded_key WHERE protector_id = :p").param("p", key.hex())
                .query(byte[].class).single();
        assertThat(kept).isEqualTo(escrowedCiphertext);
        assertThat(opened(key, c, "superseded_key")).as("the old copy still opens").isEqualTo(escrowed);
        assertThat(opened(key, c, "recovery_key")).as("the device's password is the one stored now").isEqualTo(onDevice);
        assertThat(audits("key.replace", key)).isEqualTo(1);
        assertThat(column("differs_at", key)).isNull();
        assertThat(column("verified_at", key)).isNotNull();
        assertThat(server.bean(ComputerSearch.class).key(key).orElseThrow().differsFromDevice()).isFalse();

        assertThat(pc.checkin()).isEmpty();
        assertThat(rows("escrow-drift", pc)).isEmpty();
        long computerId = server.bean(ComputerRepository.class).computerId(pc.computer().split("\\.")[0]).orElseThrow();
        assertThat(server.bean(Timeline.class).of(computerId)).extracting(TimelineEntry::what).contains(
                "Device asked to escrow", "Key replaced by the device's escrow", "Key verified by the device");
        Response oldAgain = server.api().post("/api/v1/escrow", token(pc), Escrows.json(escrowBody(pc, c, key, escrowed)));
        assertThat(oldAgain.status()).as("the replaced password no longer fits").isEqualTo(409);
        assertThat(server.jdbc().sql("SELECT COUNT(*) FROM superseded_key WHERE protector_id = :p").param("p", key.hex())
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void theReplacementIsAnsweredAsStoredAndSaysSo() {
        DeviceSimulator pc = device();
        Volume c = pc.addVolume("FixedData");
        ProtectorId key = c.recoveryPasswordIds().get(0);
        pc.escrowAll();
        RecoveryPassword onDevice = pc.changePasswordOnDevice(c, key);
        pc.checkin();

        Response replaced = server.api().post("/api/v1/escrow", token(pc), Escrows.json(escrowBody(pc, c, key, onDevice)));
        Response again = server.api().post("/api/v1/escrow", token(pc), Escrows.json(escrowBody(pc, c, key, onDevice)));

        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().path("status").asString()).isEqualTo("stored");
        assertThat(replaced.json().path("replaced").asBoolean()).isTrue();
        assertThat(replaced.json().path("recoveryPasswordId").asString()).isEqualTo(key.toString());
        assertThat(again.json().path("status").asString()).isEqualTo("already-stored");
        assertThat(again.json().has("replaced")).isFalse();
    }

    @Test
    void aKeyNeverFlaggedIsNeverReplaced() {
        DeviceSimulator pc = device().withoutVerifiers();
        Volume c = pc.addVolume("OperatingSystem");
        ProtectorId key = c.recoveryPasswordIds().get(0);
        pc.escrowAll();
        RecoveryPassword onDevice = pc.changePasswordOnDevice(c, key);

        assertThat(pc.checkin()).as("an old client sends no verifiers: nothing to compare").isEmpty();
        assertThat(server.api().post("/api/v1/escrow", token(pc), Escrows.json(escrowBody(pc, c, key, onDevice))).status())
                .isEqualTo(409);
        assertThat(column("verified_at", key)).isNull();
        assertThat(rows("computer-compliance", pc)).singleElement().satisfies(row -> {
            assertThat(row.get("verified")).isEqualTo("not verified");
            assertThat(row.get("compliant")).isEqualTo("no");
            assertThat((String) row.get("why")).startsWith("not verified: the device never showed");
        });
    }

    @Test
    void aVerifierMustNameOneOfTheVolumesProtectorsAndBeHex() {
        DeviceSimulator pc = device();
        Volume c = pc.addVolume("OperatingSystem");
        String body = pc.checkinJson().replace(DeviceSimulator.verifier(c, c.recoveryPasswordIds().get(0)), "abc")
                .replaceFirst("\"recoveryPasswordIds\":\\[\"[^\"]+\"]", "\"recoveryPasswordIds\":[\"" + Escrows.newGuid() + "\"]");

        Response response = server.api().post("/api/v1/checkin", token(pc), body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("errors").findValuesAsString("field")).containsExactlyInAnyOrder(
                "volumes[0].recoveryPasswordVerifiers[0].recoveryPasswordId", "volumes[0].recoveryPasswordVerifiers[0].verifier");
    }

    // -------------------------------------------------------------------------------------------

    static String token(DeviceSimulator pc) {
        return pc.token();
    }

    static Map<String, Object> escrowBody(DeviceSimulator pc, Volume volume, ProtectorId id, RecoveryPassword password) {
        Map<String, Object> body = Escrows.body(pc.computer(), password);
        body.put("volumeId", volume.id());
        body.put("recoveryPasswordId", id.toString());
        return body;
    }

    Object column(String name, ProtectorId key) {
        return server.jdbc().sql("SELECT " + name + " FROM recovery_key WHERE protector_id = :p").param("p", key.hex())
                .query().singleRow().get(name);
    }

    long audits(String action, ProtectorId key) {
        return server.jdbc().sql("SELECT COUNT(*) FROM audit_log WHERE action = :a AND target LIKE :t")
                .param("a", action).param("t", "key " + key + "%").query(Long.class).single();
    }

    RecoveryPassword opened(ProtectorId key, Volume volume, String table) {
        SealedRecord sealed = server.jdbc().sql("SELECT format_version, epoch_id, password_ct FROM "
                        + (table.equals("recovery_key") ? "key_secret JOIN recovery_key ON recovery_key.id = key_secret.key_id" : table) + " WHERE protector_id = :p").param("p", key.hex())
                .query((rs, n) -> new SealedRecord(rs.getInt(1), rs.getObject(2, UUID.class), rs.getBytes(3))).single();
        byte[] bytes = server.bean(RecordOpener.class).open(RecordBinding.recoveryPassword(key, VolumeId.parse(volume.id())), sealed);
        return RecoveryPassword.fromKeyBytes(bytes);
    }

    List<Map<String, Object>> rows(String report, DeviceSimulator pc) {
        Reports.Definition definition = Reports.definition(report).orElseThrow();
        ReportFilters.Checked checked = ReportFilters.check(new ReportFilters.Typed(null, null, null, pc.computer().split("\\.")[0],
                null, null), LocalDate.now(ZoneOffset.UTC), definition.daysBack());
        Report<?> built = server.bean(Reports.class).build(definition, checked.filters());
        return built.cells().stream().map(row -> {
            Map<String, Object> map = new java.util.LinkedHashMap<>();
            for (int i = 0; i < row.size(); i++) {
                map.put(built.columns().get(i).key(), row.get(i));
            }
            return map;
        }).toList();
    }
}
