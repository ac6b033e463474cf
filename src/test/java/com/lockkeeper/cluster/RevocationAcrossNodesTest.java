package com.lockkeeper.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.devices.Devices;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.DeviceSimulator;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.People;
import com.lockkeeper.testing.SharedPostgres;
import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.users.LocalAccount;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.UserAccounts;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A node remembers for a moment who a token or device credential is (lockkeeper.api.token-cache),
 * yet a revocation made anywhere takes effect on every node within a second: on the node that
 * revokes at once, on another within the cache's lifetime. Each node is called just before the
 * revocation, so that it has the secret in its cache.
 */
class RevocationAcrossNodesTest {

    /** The promise: within a second of the revocation's commit, on every node. */
    static final long WITHIN_MILLIS = 1_000;

    @TempDir
    Path dirA;

    @TempDir
    Path dirB;

    /** The other node: what an administrator does on it. */
    interface Revoking {
        void revokeToken(String name);

        void revokeDevice(long id);
    }

    @Test
    void onPostgresqlATokenAndADeviceRevokedOnOneNodeAreRefusedByTheOtherWithinASecond() {
        String[] database = SharedPostgres.newDatabaseArguments();
        try (ConfigurableApplicationContext nodeA = Installations.webServer(dirA, "revoke-a", database);
                ConfigurableApplicationContext nodeB = Installations.webServer(dirB, "revoke-b", database)) {
            ApiClient apiA = new ApiClient(Installations.port(nodeA));
            Revoking onA = new Revoking() {
                @Override
                public void revokeToken(String name) {
                    nodeA.getBean(ApiTokens.class).revoke(name, Actor.system("test"));
                }

                @Override
                public void revokeDevice(long id) {
                    nodeA.getBean(Devices.class).revoke(id, Actor.system("test"));
                }
            };
            revokedOnOneNodeRefusedOnTheOther(nodeB, onA, apiA);
        }
    }

    @Test
    void onH2ATokenAndADeviceRevokedWithTheCommandLineAreRefusedByTheRunningServerWithinASecond() {
        try (ConfigurableApplicationContext server = Installations.webServer(dirA, "revoke-h2")) {
            CliRunner cli = new CliRunner(dirA, "revoke-h2");
            Revoking withCli = new Revoking() {
                @Override
                public void revokeToken(String name) {
                    CliRunner.Result result = cli.run("token", "revoke", name);
                    assertThat(result.exitCode()).as(result.err()).isZero();
                }

                @Override
                public void revokeDevice(long id) {
                    CliRunner.Result result = cli.run("device", "revoke", Long.toString(id));
                    assertThat(result.exitCode()).as(result.err()).isZero();
                }
            };
            revokedOnOneNodeRefusedOnTheOther(server, withCli, null);
        }
    }

    /** {@code revokingApi}: the revoking node's API, which must refuse at once (null: it serves no API). */
    private static void revokedOnOneNodeRefusedOnTheOther(ConfigurableApplicationContext checked, Revoking revoking,
            ApiClient revokingApi) {
        ApiClient api = new ApiClient(Installations.port(checked));

        String helpdesk = People.add(checked, "revoked", Role.HELPDESK);
        LocalAccount account = checked.getBean(UserAccounts.class).find(helpdesk).orElseThrow();
        String tokenName = "nodes-" + UUID.randomUUID().toString().substring(0, 8);
        String token = checked.getBean(ApiTokens.class).createPersonalToken(account.id(), helpdesk, tokenName, Actor.system("test"))
                .secret();
        String lookup = "/api/v1/computers?name=NODES-NONE";
        assertRefusedWithinASecond("the personal access token", () -> get(api, lookup, token), () -> {
            if (revokingApi != null) {
                assertThat(get(revokingApi, lookup, token)).as("the revoking node, before").isEqualTo(404);
            }
            revoking.revokeToken(tokenName);
            if (revokingApi != null) {
                assertThat(get(revokingApi, lookup, token)).as("the revoking node, at once").isEqualTo(401);
            }
        });

        DeviceSimulator device = new DeviceSimulator(api, checked.getBean(ApiTokens.class)
                .createEnrollmentToken("nodes-" + UUID.randomUUID(), Actor.system("test")).secret(),
                "NODES-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase());
        ApiClient.Response enrolled = device.enroll();
        assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
        long deviceId = enrolled.json().path("deviceId").asLong();
        assertRefusedWithinASecond("the device credential", () -> device.checkinResponse().status(),
                () -> revoking.revokeDevice(deviceId));
    }

    /** {@code call} is answered 2xx or 404 (known caller) before {@code revoke}, and 401 within a second after it. */
    private static void assertRefusedWithinASecond(String what, IntSupplier call, Runnable revoke) {
        for (int i = 0; i < 3; i++) {
            assertThat(call.getAsInt()).as("%s before its revocation", what).isIn(200, 201, 404);
        }
        revoke.run();
        long revoked = System.nanoTime();
        int status;
        long elapsedMillis;
        do {
            status = call.getAsInt();
            elapsedMillis = (System.nanoTime() - revoked) / 1_000_000;
            if (status == 401) {
                break;
            }
            sleep(25);
        } while (elapsedMillis < WITHIN_MILLIS);
        assertThat(status).as("%s %d ms after its revocation", what, elapsedMillis).isEqualTo(401);
        assertThat(elapsedMillis).as("%s refused within a second", what).isLessThanOrEqualTo(WITHIN_MILLIS);
    }

    private static int get(ApiClient api, String path, String token) {
        return api.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(api.base() + path))
                .header("Authorization", "Bearer " + token).GET().build()).status();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
