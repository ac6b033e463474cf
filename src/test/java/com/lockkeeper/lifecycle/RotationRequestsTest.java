package com.lockkeeper.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.LockkeeperSettings;
import com.lockkeeper.audit.Actor;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.DeviceSimulator;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.testing.WebSession;
import com.lockkeeper.testing.WebSession.Page;
import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.users.Role;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Admin rotation requests through the staff API, the command line and the web page: counted, audited, followed to the end. */
@WebServerTest
class RotationRequestsTest {

    static ApplicationContext server;
    static int port;
    static JdbcClient jdbc;
    static ApiClient api;
    static String deviceToken;
    static String admin;
    static String adminName;

    @BeforeAll
    static void start(@Autowired ApplicationContext context, @LocalServerPort int localPort) {
        server = context;
        port = localPort;
        jdbc = server.getBean(JdbcClient.class);
        api = new ApiClient(port);
        deviceToken = server.getBean(ApiTokens.class).createEnrollmentToken("rotation-devices", Actor.system("test")).secret();
        adminName = People.add(server, "admin", Role.ADMIN);
        admin = People.token(server, adminName);
    }

    static DeviceSimulator enrolledDevice(int volumes) {
        DeviceSimulator pc = new DeviceSimulator(api, deviceToken, "ROT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase());
        pc.addVolume("OperatingSystem");
        for (int i = 1; i < volumes; i++) {
            pc.addVolume("FixedData");
        }
        pc.escrowAll();
        assertThat(pc.checkin()).isEmpty();
        return pc;
    }

    @Test
    void theApiRotatesAComputerCountsWhatWasPendingAndFollowsTheDevicesToTheEnd() {
        DeviceSimulator pc = enrolledDevice(2);
        ProtectorId first = pc.volumes().get(0).recoveryPasswordIds().get(0);

        Response computer = api.post("/api/v1/rotations", admin,
                "{\"scope\": \"computer\", \"target\": \"" + pc.computer().toLowerCase() + "\", \"reason\": \"laptop left on a train\"}");
        assertThat(computer.status()).isEqualTo(201);
        assertThat(computer.json().path("keysRequested").asInt()).isEqualTo(2);
        assertThat(computer.json().path("complete").asBoolean()).isFalse();
        long id = computer.json().path("id").asLong();

        Response key = api.post("/api/v1/rotations", admin,
                "{\"scope\": \"key\", \"target\": \"" + first + "\", \"reason\": \"printout found\"}");
        assertThat(key.status()).isEqualTo(201);
        assertThat(key.json().path("keysRequested").asInt()).isZero();
        assertThat(key.json().path("alreadyPending").asInt()).isEqualTo(1);

        assertThat(pc.run()).hasSize(2);
        assertThat(pc.checkin()).isEmpty();
        Response progress = api.send(HttpRequest.newBuilder(URI.create(api.base() + "/api/v1/rotations/" + id))
                .header("Authorization", "Bearer " + admin).GET().build());
        assertThat(progress.json().path("done").asInt()).isEqualTo(2);
        assertThat(progress.json().path("complete").asBoolean()).isTrue();
        assertThat(jdbc.sql("SELECT detail FROM audit_log WHERE action = 'rotation.request' AND target = :t")
                .param("t", "computer " + pc.computer()).query(String.class).single())
                .contains("request " + id, "reason: laptop left on a train", "2 key(s) to rotate");
    }

    @Test
    void aBadRequestNamesItsFieldAndRequestsNothing() {
        long before = requests();
        assertThat(field(api.post("/api/v1/rotations", admin, "{\"scope\": \"everything\", \"reason\": \"x\"}"))).isEqualTo("scope");
        assertThat(field(api.post("/api/v1/rotations", admin, "{\"scope\": \"key\", \"target\": \"1234\", \"reason\": \"x\"}")))
                .isEqualTo("target");
        assertThat(field(api.post("/api/v1/rotations", admin, "{\"scope\": \"computer\", \"target\": \"NO-SUCH-PC\", \"reason\": \"x\"}")))
                .isEqualTo("target");
        assertThat(field(api.post("/api/v1/rotations", admin, "{\"scope\": \"all\"}"))).isEqualTo("reason");
        assertThat(requests()).isEqualTo(before);
    }

    @Test
    void theCommandLineRequestsARotationAndShowsItsProgress() {
        DeviceSimulator pc = enrolledDevice(1);
        LockkeeperSettings settings = server.getBean(LockkeeperSettings.class);
        CliRunner cli = new CliRunner(settings.dataDir(), settings.nodeName());

        CliRunner.Result requested = cli.run("rotate", "--computer", pc.computer(), "--reason", "incident 7");
        assertThat(requested.exitCode()).as(requested.err()).isZero();
        assertThat(requested.out()).contains("1 key(s) to rotate", "lockkeeper rotate --progress");
        assertThat(pc.run()).extracting(DeviceSimulator.Action::type).containsExactly("rotate");
        pc.checkin();

        CliRunner.Result progress = cli.run("rotate", "--progress");
        assertThat(progress.exitCode()).isZero();
        assertThat(progress.out()).containsPattern("computer " + pc.computer() + "\\s+1\\s+0\\s+1\\s");

        CliRunner.Result unknown = cli.run("rotate", "--computer", "NO-SUCH-PC", "--reason", "x");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("--computer no computer is named NO-SUCH-PC");
        CliRunner.Result noReason = cli.run("rotate", "--all");
        assertThat(noReason.exitCode()).isEqualTo(2);
        assertThat(noReason.err()).contains("--reason is required");
    }

    @Test
    void theAdminPageRequestsARotationAndShowsItsProgress() {
        DeviceSimulator pc = enrolledDevice(1);
        WebSession web = WebSession.signedIn(port, adminName, People.PASSWORD);
        assertThat(web.get("/admin/rotations").status()).isEqualTo(200);

        Page missingReason = web.post("/admin/rotations", Map.of("scope", "computer", "computer", pc.computer(), "reason", ""));
        assertThat(missingReason.status()).isEqualTo(200);
        assertThat(missingReason.body()).contains("id=\"reason-error\"", "Is required");

        Page requested = web.follow(web.post("/admin/rotations", Map.of("scope", "computer", "computer", pc.computer(),
                "reason", "stolen bag")));
        assertThat(requested.body()).contains("1 key(s) to rotate", "computer " + pc.computer(), "in progress");

        pc.run();
        pc.checkin();
        assertThat(web.get("/admin/rotations").body()).contains("complete");
    }

    static long requests() {
        return jdbc.sql("SELECT COUNT(*) FROM rotation_request").query(Long.class).single();
    }

    static String field(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        return response.json().path("errors").get(0).path("field").asString();
    }
}
