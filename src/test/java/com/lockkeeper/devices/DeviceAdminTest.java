package com.lockkeeper.devices;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.LockkeeperSettings;
import com.lockkeeper.audit.Actor;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.DeviceSimulator;
import com.lockkeeper.testing.DeviceSimulator.Volume;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.testing.WebSession.Page;
import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.users.Role;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The admin's side of devices on a real server: `lockkeeper device …` and the /admin/devices page. */
@WebServerTest
class DeviceAdminTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    DeviceSimulator device(String computer) {
        String token = context.getBean(ApiTokens.class).createEnrollmentToken("admin-" + UUID.randomUUID(), Actor.system("test"))
                .secret();
        return new DeviceSimulator(new ApiClient(port), token, computer);
    }

    static String newComputer() {
        return "ADM-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    CliRunner cli() {
        LockkeeperSettings settings = context.getBean(LockkeeperSettings.class);
        return new CliRunner(settings.dataDir(), settings.nodeName());
    }

    long lastDevice(String computer) {
        return jdbc.sql("SELECT MAX(d.id) FROM device d JOIN computer c ON c.id = d.computer_id WHERE c.name = :n")
                .param("n", computer).query(Long.class).single();
    }

    @Test
    void theCommandLineListsApprovesAndMovesAVolume() {
        String name = newComputer();
        DeviceSimulator pc = device(name).enrolled();
        Volume disk = pc.addVolume("FixedData");
        pc.escrowAll();
        DeviceSimulator replacement = device(name);
        replacement.enroll();
        long pending = lastDevice(name);

        CliRunner.Result list = cli().run("device", "list", "--pending");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern(pending + "\\s+" + name + "\\s+pending\\s+" + replacement.hardwareId());
        assertThat(list.out()).doesNotContain(replacement.credential());

        CliRunner.Result approved = cli().run("device", "approve", Long.toString(pending));
        assertThat(approved.exitCode()).as(approved.err()).isZero();
        assertThat(approved.out()).contains("approved device " + pending);
        assertThat(replacement.checkinResponse().status()).isEqualTo(200);
        CliRunner.Result again = cli().run("device", "approve", Long.toString(pending));
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("not pending");

        String other = newComputer();
        DeviceSimulator otherPc = device(other).enrolled();
        Volume moved = otherPc.addVolume(disk.id(), "FixedData");
        assertThat(otherPc.escrowAll()).containsExactly(409);

        CliRunner.Result move = cli().run("device", "move-volume", "--volume", disk.id(), "--to", other);
        assertThat(move.exitCode()).as(move.err()).isZero();
        assertThat(move.out()).contains("moved volume " + disk.id() + " from " + name + " to " + other);
        assertThat(otherPc.escrowAll()).containsExactly(201);
        assertThat(otherPc.checkin()).isEmpty();
        assertThat(jdbc.sql("SELECT status FROM recovery_key WHERE protector_id = :p").param("p", disk.recoveryPasswordIds().get(0).hex())
                .query(String.class).single()).as("its old key, gone from the disk, retired by its new computer").isEqualTo("retired");
        assertThat(moved.recoveryPasswordIds()).hasSize(1);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'volume.move' AND target = :t")
                .param("t", "volume " + disk.id()).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void thePageShowsPendingDevicesFirstAndRejectsOne() {
        String name = newComputer();
        device(name).enrolled();
        DeviceSimulator stranger = device(name);
        stranger.enroll();
        long pending = lastDevice(name);
        String admin = People.add(context, "admin", Role.ADMIN);
        WebSession web = WebSession.signedIn(port, admin, People.PASSWORD);

        Page page = web.get("/admin/devices");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains(name, "pending", "/admin/devices/" + pending + "/approve")
                .doesNotContain(stranger.credential());

        Page rejected = web.post("/admin/devices/" + pending + "/reject", Map.of());
        assertThat(web.follow(rejected).body()).contains("is rejected");
        assertThat(stranger.checkinResponse().status()).isEqualTo(401);
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'device.reject' AND actor = :a")
                .param("a", "user:" + admin).query(Long.class).single()).isEqualTo(1);

        String helpdesk = People.add(context, "hd", Role.HELPDESK);
        assertThat(WebSession.signedIn(port, helpdesk, People.PASSWORD).get("/admin/devices").status()).isEqualTo(403);
    }
}
