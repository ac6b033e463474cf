package com.lockkeeper.activedirectory;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.DeviceSimulator;
import com.lockkeeper.testing.DirectoryFleet;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.TestDomainController;
import com.lockkeeper.tokens.ApiTokens;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Moving a computer over from Active Directory: its keys are imported (type Unknown), then its device
 * runs the Lockkeeper client, escrows the same protectors and checks in. Each protector stays one key,
 * on the volume the device names, now with the type the device reports; a later sync from AD changes
 * none of that, and a protector the device adds is escrowed by the device and found in AD as already stored.
 */
class DirectoryThenDeviceTest {

    static final String NODE = "cut-over-node";

    @TempDir
    Path dataDir;

    @TempDir
    Path work;

    @Test
    void keysImportedFromActiveDirectoryAndThenEscrowedByTheirDeviceAreOneKeyPerProtectorOnTheRightVolume() throws IOException {
        DirectoryFleet fleet = new DirectoryFleet(2);
        Path password = work.resolve("reader-password");
        Files.writeString(password, TestDomainController.READER_PASSWORD + "\n");
        try (TestDomainController dc = TestDomainController.start()) {
            fleet.populate(dc, 0, 3);
            try (ConfigurableApplicationContext server = Installations.webServer(dataDir, NODE,
                    "--lockkeeper.sync.ad.enabled=true", "--lockkeeper.sync.ad.url=" + dc.url(),
                    "--lockkeeper.sync.ad.base-dn=" + TestDomainController.BASE,
                    "--lockkeeper.sync.ad.bind-dn=" + TestDomainController.READER,
                    "--lockkeeper.sync.ad.bind-password-file=" + password,
                    "--lockkeeper.sync.ad.initial-delay=PT1H")) {
                DirectorySync sync = server.getBean(DirectorySync.class);
                JdbcClient jdbc = server.getBean(JdbcClient.class);
                assertThat(sync.runOnce().orElseThrow().summary().stored()).isEqualTo(6);
                DirectoryFleet.Key system = fleet.key(2);
                DirectoryFleet.Key data = fleet.key(3);
                assertThat(volumes(jdbc, "PC-000001")).containsOnly(Map.entry(system.volume().toString(), "Unknown"),
                        Map.entry(data.volume().toString(), "Unknown"));

                String token = server.getBean(ApiTokens.class).createEnrollmentToken("gpo", Actor.system("test")).secret();
                DeviceSimulator device = new DeviceSimulator(new ApiClient(Installations.port(server)), token,
                        "PC-000001.corp.example.com");
                DeviceSimulator.Volume c = device.addExistingVolume(system.volume().toString(), "OperatingSystem", system.id(),
                        system.password());
                device.addExistingVolume(data.volume().toString(), "FixedData", data.id(), data.password());

                assertThat(device.escrowAll()).as("the device's escrows of the imported protectors").containsExactly(200, 200);
                assertThat(device.run()).as("nothing to escrow or rotate").isEmpty();

                assertThat(volumes(jdbc, "PC-000001")).containsOnly(Map.entry(system.volume().toString(), "OperatingSystem"),
                        Map.entry(data.volume().toString(), "FixedData"));
                assertThat(keysOn(jdbc, system.volume().toString())).containsExactly(system.id().hex());
                assertThat(keysOn(jdbc, data.volume().toString())).containsExactly(data.id().hex());
                assertThat(count(jdbc, "SELECT COUNT(*) FROM recovery_key")).isEqualTo(6);

                // The device adds a protector and escrows it; Group Policy backs it up to AD as well.
                ProtectorId added = device.addProtector(c);
                assertThat(device.escrow(c, added).status()).isEqualTo(201);
                dc.add(List.of(DirectoryFleet.recoveryObject(DirectoryFleet.computerDn(1), "2026-12-01T08:00:00-08:00" + added,
                        added, system.volume(), c.password(added), null, dc.nextUsn())));
                // And AD's copy of the system volume's first key changes (its key package re-backed up).
                dc.modify(system.dn(), new Modification(ModificationType.REPLACE, "msFVE-KeyPackage", new byte[] {9, 9, 9}));

                DirectoryImport.Report later = sync.runOnce().orElseThrow();

                assertThat(later.objects()).isEqualTo(2);
                assertThat(later.summary().alreadyStored()).isEqualTo(2);
                assertThat(later.summary().conflicts()).isZero();
                assertThat(volumes(jdbc, "PC-000001")).as("an import never retypes or moves a volume its device reported")
                        .containsOnly(Map.entry(system.volume().toString(), "OperatingSystem"),
                                Map.entry(data.volume().toString(), "FixedData"));
                assertThat(keysOn(jdbc, system.volume().toString())).containsExactlyInAnyOrder(system.id().hex(), added.hex());
                assertThat(count(jdbc, "SELECT COUNT(*) FROM recovery_key")).as("one key per protector").isEqualTo(7);
            }
        }
    }

    private static Map<String, String> volumes(JdbcClient jdbc, String computer) {
        Map<String, String> volumes = new java.util.TreeMap<>();
        jdbc.sql("SELECT v.volume_guid, v.volume_type FROM volume v JOIN computer c ON c.id = v.computer_id WHERE c.name = :name")
                .param("name", computer)
                .query(rs -> {
                    volumes.put(rs.getObject("volume_guid", java.util.UUID.class).toString(), rs.getString("volume_type"));
                });
        return volumes;
    }

    private static List<String> keysOn(JdbcClient jdbc, String volume) {
        return jdbc.sql("""
                        SELECT k.protector_id FROM recovery_key k JOIN volume v ON v.id = k.volume_id
                        WHERE v.volume_guid = :guid ORDER BY k.id""")
                .param("guid", java.util.UUID.fromString(volume)).query(String.class).list();
    }

    private static long count(JdbcClient jdbc, String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }
}
