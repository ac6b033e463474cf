package com.lockkeeper.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.lockkeeper.computers.KeySummary;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.Recoveries;
import com.lockkeeper.testing.Recoveries.Escrowed;
import com.lockkeeper.users.SignedInUser;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Self-service against a real installation: own keys only, uniform not-found, the rate limit, every attempt audited. */
class SelfServiceTest {

    @TempDir
    static Path dataDir;
    static ConfigurableApplicationContext server;
    static SelfService selfService;
    static JdbcClient jdbc;

    @BeforeAll
    static void start() {
        server = Installations.server(dataDir, "self-service-test", "--lockkeeper.self-service.max-reveals=2");
        selfService = server.getBean(SelfService.class);
        jdbc = server.getBean(JdbcClient.class);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static SignedInUser endUser() {
        return new SignedInUser("user" + UUID.randomUUID().toString().substring(0, 6), Set.of(), "form");
    }

    static String computer() {
        return "LT-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    @Test
    void listsOnlyTheUsersComputersWithKeyIdsAndRevealsTheirOwnKey() {
        SignedInUser dana = endUser();
        Escrowed own = Recoveries.escrow(server, computer(), "CORP\\" + dana.username(), Instant.now());
        Recoveries.escrow(server, computer(), "CORP\\someone-else", Instant.now());

        assertThat(selfService.computersOf(dana)).singleElement().satisfies(c -> {
            assertThat(c.computer().name()).isEqualTo(own.computer());
            assertThat(c.keys()).extracting(KeySummary::shortId).containsExactly(own.id().shortId());
        });
        assertThat(selfService.reveal(dana, own.id().shortId().toLowerCase(), "10.1.1.1")).isEqualTo(own.password());
        assertThat(jdbc.sql("SELECT status FROM recovery_key WHERE protector_id = :id").param("id", own.id().hex())
                .query(String.class).single()).isEqualTo("disclosed");
        assertThat(RevealDetails.read(jdbc.sql("SELECT detail FROM audit_log WHERE action = 'self-service.reveal' AND outcome = 'success'"
                + " AND actor = :a").param("a", "user:" + dana.username()).query(String.class).single()))
                .extracting(RevealDetails::computer, RevealDetails::role, RevealDetails::client, RevealDetails::reason)
                .containsExactly(own.computer(), "end user", "10.1.1.1", "self-service recovery");
    }

    @Test
    void aKeyThatIsNotTheirsAndAKeyThatDoesNotExistGetTheSameAnswerAndBothAreAudited() {
        SignedInUser erin = endUser();
        Escrowed someoneElses = Recoveries.escrow(server, computer(), "CORP\\frank", Instant.now());
        String missing = someoneElses.id().shortId().startsWith("0") ? "11111111" : "00000000";

        KeyNotFoundException notTheirs = catchThrowableOfType(KeyNotFoundException.class,
                () -> selfService.reveal(erin, someoneElses.id().shortId(), "10.1.1.2"));
        KeyNotFoundException notThere = catchThrowableOfType(KeyNotFoundException.class,
                () -> selfService.reveal(erin, missing, "10.1.1.2"));

        assertThat(notTheirs).isNotNull();
        assertThat(notTheirs.getMessage()).isEqualTo(notThere.getMessage()).doesNotContain(someoneElses.computer());
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'self-service.reveal' AND outcome = 'refused' AND actor = :a")
                .param("a", "user:" + erin.username()).query(Long.class).single()).isEqualTo(2);
        assertThat(jdbc.sql("SELECT status FROM recovery_key WHERE protector_id = :id").param("id", someoneElses.id().hex())
                .query(String.class).single()).isEqualTo("active");
    }

    @Test
    void afterTheLimitOfRevealsTheUserIsToldToCallTheHelpdesk() {
        SignedInUser gil = endUser();
        String pc = computer();
        Escrowed first = Recoveries.escrow(server, pc, gil.username(), Instant.now());
        Escrowed second = Recoveries.escrow(server, computer(), gil.username(), Instant.now());
        Escrowed third = Recoveries.escrow(server, computer(), gil.username(), Instant.now());

        selfService.reveal(gil, first.id().shortId(), "10.1.1.3");
        selfService.reveal(gil, second.id().shortId(), "10.1.1.3");

        assertThatThrownBy(() -> selfService.reveal(gil, third.id().shortId(), "10.1.1.3"))
                .isInstanceOf(RecoveryRefusedException.class).hasMessageContaining("call the helpdesk");
        assertThat(jdbc.sql("SELECT status FROM recovery_key WHERE protector_id = :id").param("id", third.id().hex())
                .query(String.class).single()).isEqualTo("active");
        assertThat(jdbc.sql("SELECT detail FROM audit_log WHERE action = 'self-service.reveal' AND outcome = 'refused' AND actor = :a")
                .param("a", "user:" + gil.username()).query(String.class).single()).contains("limit of 2");
        assertThat(selfService.revealsInWindow(gil)).isEqualTo(2);
    }

    @Test
    void concurrentRevealsCannotPassTheLimitTogether() throws Exception {
        SignedInUser ida = endUser();
        Escrowed own = Recoveries.escrow(server, computer(), ida.username(), Instant.now());
        long revealed = revealsAtOnce(java.util.List.of(selfService), ida, java.util.List.of(own), 6);

        assertThat(revealed).as("reveals among 6 at once, limit 2").isLessThanOrEqualTo(2);
        assertThat(revealed + revealOneByOneUntilRefused(selfService, ida, own)).as("all reveals, limit 2").isEqualTo(2);
        assertThat(selfService.revealsInWindow(ida)).isEqualTo(2);
    }

    @Test
    void revealsOnTwoNodesAtOnceCannotPassTheLimitTogether() throws Exception {
        // A second node on the same database, registered with the DMK password so it can open keys too.
        try (ConfigurableApplicationContext nodeB = Installations.server(dataDir.resolve("node-b"), "self-service-test-b",
                "--lockkeeper.self-service.max-reveals=2", "--lockkeeper.db.url=" + com.lockkeeper.EmbeddedDatabase.jdbcUrl(dataDir),
                "--lockkeeper.db.password-file=" + dataDir.resolve("db-password"))) {
            try (com.lockkeeper.support.Password dmk = com.lockkeeper.support.Password.copyOf(
                    java.nio.file.Files.readAllLines(dataDir.resolve("dmk-password.txt")).get(0).strip())) {
                nodeB.getBean(com.lockkeeper.keys.KeyCeremonies.class).registerNode(dmk, com.lockkeeper.audit.Actor.system("test"));
            }
            java.util.List<SelfService> nodes = java.util.List.of(selfService, nodeB.getBean(SelfService.class));
            for (int round = 0; round < 5; round++) {
                SignedInUser jo = endUser();
                java.util.List<Escrowed> keys = new java.util.ArrayList<>();
                for (int k = 0; k < 4; k++) {
                    keys.add(Recoveries.escrow(server, computer(), jo.username(), Instant.now()));
                }
                long revealed = revealsAtOnce(nodes, jo, keys, 8);

                assertThat(revealed).as("reveals among 8 at once on two nodes, limit 2 (round %d)", round).isLessThanOrEqualTo(2);
                assertThat(revealed + revealOneByOneUntilRefused(nodes.get(1), jo, keys.get(0)))
                        .as("all reveals, limit 2 (round %d)", round).isEqualTo(2);
                assertThat(nodes.get(0).revealsInWindow(jo)).isEqualTo(2);
            }
        }
    }

    /**
     * Reveals one after another until the limit refuses one; how many showed the password. (At
     * once, requests may all hold back when each sees the others' places taken: the limit is
     * never exceeded, and the places not used are given back.)
     */
    static long revealOneByOneUntilRefused(SelfService node, SignedInUser user, Escrowed key) {
        for (long revealed = 0; revealed < 10; revealed++) {
            try {
                node.reveal(user, key.id().shortId(), "10.1.1.7");
            } catch (RecoveryRefusedException limit) {
                return revealed;
            }
        }
        throw new AssertionError("10 reveals one after another and the limit never refused one");
    }

    /** {@code attempts} reveals started at once, spread over the nodes and keys in turn; how many showed the password. */
    static long revealsAtOnce(java.util.List<SelfService> nodes, SignedInUser user, java.util.List<Escrowed> keys, int attempts)
            throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(attempts);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<Boolean>> answers = new java.util.ArrayList<>();
        for (int i = 0; i < attempts; i++) {
            SelfService node = nodes.get(i % nodes.size());
            Escrowed key = keys.get(i % keys.size());
            answers.add(pool.submit(() -> {
                start.await();
                try {
                    return node.reveal(user, key.id().shortId(), "10.1.1.5").equals(key.password());
                } catch (RecoveryRefusedException e) {
                    return false;
                }
            }));
        }
        start.countDown();
        long revealed = 0;
        for (java.util.concurrent.Future<Boolean> answer : answers) {
            revealed += answer.get() ? 1 : 0;
        }
        pool.shutdown();
        return revealed;
    }

    @Test
    void aMalformedIdIsAFieldErrorAndIsAudited() {
        SignedInUser hal = endUser();
        assertThat(HelpdeskRecoveryTest.fieldErrors(() -> selfService.reveal(hal, "12-34", "10.1.1.4")))
                .containsOnlyKeys("recoveryPasswordId");
        assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'self-service.reveal' AND outcome = 'refused' AND actor = :a")
                .param("a", "user:" + hal.username()).query(Long.class).single()).isEqualTo(1);
    }
}
