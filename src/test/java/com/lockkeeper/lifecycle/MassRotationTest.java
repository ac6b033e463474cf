package com.lockkeeper.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.ApiClient.Response;
import com.lockkeeper.testing.DeviceSimulator;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.People;
import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.users.Role;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** After an incident, every key of 1,000 simulated devices is rotated, and every device confirms. */
class MassRotationTest {

    static final int DEVICES = 1_000;

    @TempDir
    Path dataDir;

    @Test
    void rotatingEveryKeyOfAThousandDevicesEndsWithEveryDeviceConfirmed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (ConfigurableApplicationContext server = Installations.webServer(dataDir, "mass-rotation-test")) {
            ApiClient api = new ApiClient(Installations.port(server));
            String token = server.getBean(ApiTokens.class).createEnrollmentToken("fleet", Actor.system("test")).secret();
            String admin = People.token(server, People.add(server, "admin", Role.ADMIN));
            JdbcClient jdbc = server.getBean(JdbcClient.class);
            long started = System.nanoTime();

            List<DeviceSimulator> fleet = new ArrayList<>();
            for (int i = 0; i < DEVICES; i++) {
                fleet.add(new DeviceSimulator(api, token, String.format("FLEET-%04d.corp.example.com", i)));
            }
            Map<DeviceSimulator, ProtectorId> before = new java.util.concurrent.ConcurrentHashMap<>();
            each(pool, fleet, pc -> {
                ProtectorId id = pc.addVolume("OperatingSystem").recoveryPasswordIds().get(0);
                assertThat(pc.escrowAll()).containsExactly(201);
                assertThat(pc.checkin()).isEmpty();
                before.put(pc, id);
            });

            long enrolled = System.nanoTime();
            Response requested = api.post("/api/v1/rotations", admin, """
                    {"scope": "all", "reason": "incident 2026-042: recovery printouts lost"}""");
            assertThat(requested.status()).isEqualTo(201);
            assertThat(requested.json().path("keysRequested").asInt()).isEqualTo(DEVICES);
            long id = requested.json().path("id").asLong();

            each(pool, fleet, pc -> assertThat(pc.run()).extracting(DeviceSimulator.Action::type).containsExactly("rotate"));
            JsonNode halfway = progress(api, admin, id);
            assertThat(halfway.path("pending").asInt()).as("a key stays until its device confirms").isEqualTo(DEVICES);
            assertThat(jdbc.sql("SELECT COUNT(*) FROM recovery_key WHERE status = 'active'").query(Long.class).single())
                    .isEqualTo(2L * DEVICES);

            each(pool, fleet, pc -> assertThat(pc.checkin()).isEmpty());
            long confirmed = System.nanoTime();

            JsonNode done = progress(api, admin, id);
            assertThat(done.path("done").asInt()).isEqualTo(DEVICES);
            assertThat(done.path("pending").asInt()).isZero();
            assertThat(done.path("complete").asBoolean()).isTrue();
            Map<String, Long> byReason = jdbc.sql("SELECT status || ':' || COALESCE(retired_reason, '-') AS s, COUNT(*) AS n"
                            + " FROM recovery_key GROUP BY status, retired_reason").query()
                    .listOfRows().stream().collect(Collectors.toMap(row -> (String) row.get("s"), row -> ((Number) row.get("n")).longValue()));
            assertThat(byReason).containsOnly(Map.entry("retired:rotated", (long) DEVICES), Map.entry("active:-", (long) DEVICES));
            for (DeviceSimulator pc : fleet) {
                List<ProtectorId> now = pc.volumes().get(0).recoveryPasswordIds();
                assertThat(now).hasSize(1).doesNotContain(before.get(pc));
            }
            // Timing is reported, not asserted: the test machine is shared and its load varies.
            System.out.printf("mass rotation of %d devices: enrollment %d ms, request to last confirmation %d ms%n", DEVICES,
                    (enrolled - started) / 1_000_000, (confirmed - enrolled) / 1_000_000);
        } finally {
            pool.shutdownNow();
        }
    }

    static JsonNode progress(ApiClient api, String admin, long id) {
        Response response = api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + "/api/v1/rotations/" + id))
                .header("Authorization", "Bearer " + admin).GET().build());
        assertThat(response.status()).isEqualTo(200);
        return response.json();
    }

    static void each(ExecutorService pool, List<DeviceSimulator> fleet, Consumer<DeviceSimulator> step) throws Exception {
        List<Future<?>> running = new ArrayList<>();
        for (DeviceSimulator pc : fleet) {
            running.add(pool.submit(() -> step.accept(pc)));
        }
        for (Future<?> future : running) {
            future.get();
        }
    }
}
