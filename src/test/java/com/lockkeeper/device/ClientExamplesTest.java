package com.lockkeeper.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.tokens.ApiTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The JSON the PowerShell client sends, as kept in clients/windows/examples/, is accepted by a
 * real server: the script itself cannot run here (no Windows, no BitLocker).
 */
class ClientExamplesTest {

    static final Path EXAMPLES = Path.of("clients", "windows", "examples");

    @TempDir
    Path dataDir;

    @Test
    void theExampleFilesOfTheWindowsClientAreAcceptedInTheOrderItSendsThem() throws IOException {
        try (ConfigurableApplicationContext server = Installations.webServer(dataDir, "client-examples-test")) {
            ApiClient api = new ApiClient(Installations.port(server));
            String token = server.getBean(ApiTokens.class).createEnrollmentToken("examples", Actor.system("test")).secret();
            JdbcClient jdbc = server.getBean(JdbcClient.class);

            Response enroll = api.post("/api/v1/devices/enroll", token, example("enroll.json"));
            assertThat(enroll.status()).as(enroll.body()).isEqualTo(201);
            String credential = enroll.json().path("credential").asString();
            assertThat(credential).startsWith("lkd_");

            Response escrow = api.post("/api/v1/escrow", credential, example("escrow.json"));
            assertThat(escrow.status()).as(escrow.body()).isEqualTo(201);

            Response checkin = api.post("/api/v1/checkin", credential, example("checkin.json"));
            assertThat(checkin.status()).as(checkin.body()).isEqualTo(200);
            // The C: verifier matches what was escrowed; the D: protector was never escrowed: the server asks for it.
            assertThat(jdbc.sql("SELECT verified_at FROM recovery_key WHERE protector_id = '4D3C2B1A8F7E4A6B9C0D112233445566'")
                    .query(Object.class).single()).isNotNull();
            assertThat(checkin.json().path("actions")).hasSize(1);
            assertThat(checkin.json().path("actions").get(0).path("type").asString()).isEqualTo("escrow");
            assertThat(checkin.json().path("actions").get(0).path("recoveryPasswordId").asString())
                    .isEqualTo("{9A8B7C6D-1E2F-4A3B-8C4D-5E6F7A8B9C0D}");

            Response events = api.post("/api/v1/events", credential, example("events.json"));
            assertThat(events.status()).as(events.body()).isEqualTo(200);
            assertThat(events.json().path("stored").asInt()).isEqualTo(3);
            assertThat(api.post("/api/v1/events", credential, example("events.json")).json().path("duplicates").asInt()).isEqualTo(3);

            // The example's 24652 says the C: recovery password was typed: it is now to be rotated.
            assertThat(jdbc.sql("SELECT status FROM recovery_key WHERE protector_id = '4D3C2B1A8F7E4A6B9C0D112233445566'")
                    .query(String.class).single()).isEqualTo("disclosed");
            assertThat(api.post("/api/v1/checkin", credential, example("checkin.json")).json().path("actions")
                    .findValuesAsString("type")).as("oldest first").containsExactly("escrow", "rotate");
        }
    }

    static String example(String name) throws IOException {
        return Files.readString(EXAMPLES.resolve(name));
    }

}
