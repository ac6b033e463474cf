package com.lockkeeper.devices;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.DeviceSimulator;
import com.lockkeeper.testing.WebServerTest;
import com.lockkeeper.tokens.ApiTokens;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A server where enrollment tokens only enroll, and a device on new hardware replaces the old one without an admin. */
@WebServerTest(properties = {"lockkeeper.devices.enrollment-token-as-device=false",
        "lockkeeper.devices.auto-approve-replacements=true"})
class DeviceSettingsTest {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    DeviceSimulator device(String computer) {
        String token = context.getBean(ApiTokens.class).createEnrollmentToken("settings-" + UUID.randomUUID(), Actor.system("test"))
                .secret();
        return new DeviceSimulator(new ApiClient(port), token, computer);
    }

    @Test
    void anEnrollmentTokenOnlyEnrollsAndEscrowsNothing() {
        String name = "SET-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        DeviceSimulator old = device(name);
        old.addVolume("OperatingSystem");

        assertThat(old.escrowAll()).containsExactly(403);
        Response checkin = old.checkinResponse();
        assertThat(checkin.status()).isEqualTo(403);
        assertThat(checkin.json().path("type").asString()).endsWith("/device-credential-required");
        assertThat(checkin.json().path("detail").asString()).contains("POST /api/v1/devices/enroll");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM computer WHERE name = :n").param("n", name).query(Long.class).single()).isZero();

        assertThat(old.enroll().status()).isEqualTo(201);
        assertThat(old.escrowAll()).containsExactly(201);
    }

    @Test
    void aDeviceOnNewHardwareReplacesTheOldOneAtOnceWhenReplacementsAreApprovedAutomatically() {
        String name = "SET-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        DeviceSimulator pc = device(name).enrolled();
        DeviceSimulator replacement = device(name);

        assertThat(replacement.enroll().status()).isEqualTo(201);

        assertThat(pc.checkinResponse().status()).isEqualTo(401);
        assertThat(replacement.checkinResponse().status()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT status FROM device d JOIN computer c ON c.id = d.computer_id WHERE c.name = :n ORDER BY d.id")
                .param("n", name).query(String.class).list()).containsExactly("replaced", "active");
    }
}
