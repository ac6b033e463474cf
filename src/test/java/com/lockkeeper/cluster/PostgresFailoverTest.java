package com.lockkeeper.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditVerifier;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.computers.RecoveryKeyRepository;
import com.lockkeeper.computers.StoredKey;
import com.lockkeeper.keys.NodeSealedException;
import com.lockkeeper.keys.RecordBinding;
import com.lockkeeper.keys.RecordOpener;
import com.lockkeeper.recovery.RevealRequest;
import com.lockkeeper.recovery.RevealService;
import com.lockkeeper.setup.FirstStart;
import com.lockkeeper.testing.ApiClient;
import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.CliRunner.Result;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.PostgresCluster;
import com.lockkeeper.tokens.ApiTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Configuration Manager's Always On scenario, on PostgreSQL: a primary with a synchronous streaming standby,
 * two Lockkeeper nodes (each with its own node key and DMK registration) on the multi-host URL,
 * devices escrowing continuously; the primary is killed hard mid-stream and the standby promoted.
 * Every acknowledged escrow must survive and decrypt on every registered node, clients must see
 * only retryable 503s meanwhile, and a node added afterwards must work like a new SQL Server
 * replica after `sp_control_dbmasterkey_password`. The measured figures are printed (and quoted
 * in the README).
 */
class PostgresFailoverTest {

    static final int CLIENTS = 4;
    static final RevealRequest REASON = new RevealRequest("Lost or forgotten PIN", "Call back to the number on file",
            "CORP\\alice", null);
    static final Duration RETRY_PAUSE = Duration.ofMillis(250);

    @TempDir
    Path dirA;

    @TempDir
    Path dirB;

    @TempDir
    Path dirC;

    /** One escrow a client sent, and how it ended. */
    record Sent(int node, String protectorId, String password, String json) {
    }

    /** A 2xx answer: which escrow, the status, when the answered attempt was sent and answered. */
    record Ack(Sent escrow, int status, long sentAt, long answeredAt, int attempts) {
    }

    final List<ConfigurableApplicationContext> contexts = new CopyOnWriteArrayList<>();
    final Map<Integer, Map<Integer, LongAdder>> statusesByNode = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
    final Map<Integer, AtomicLong> lastFailureAt = new ConcurrentHashMap<>();
    final LongAdder unavailableWithoutRetryAfter = new LongAdder();
    final LongAdder retriesAnswered200 = new LongAdder();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void killingThePrimaryMidStreamLosesNoAcknowledgedEscrowAndEveryRegisteredNodeStillDecrypts() throws Exception {
        long testStart = System.nanoTime();
        try (PostgresCluster postgres = PostgresCluster.primaryWithSynchronousStandby("failover")) {
            PostgresCluster.Server primary = postgres.server(0);
            PostgresCluster.Server standby = postgres.server(1);
            assertThat(postgres.show(primary, "synchronous_commit")).isEqualTo("on");
            assertThat(postgres.show(primary, "synchronous_standby_names")).isEqualTo("standby");
            assertThat(postgres.show(standby, "synchronous_standby_names")).isEmpty();
            assertThat(standby.inRecovery()).isTrue();
            String url = postgres.jdbcUrl();
            assertThat(url).contains("127.0.0.1:" + primary.port() + ",127.0.0.1:" + standby.port())
                    .endsWith("?targetServerType=primary");
            String[] dbOptions = {"--db-url", url, "--db-user", PostgresCluster.USER, "--db-password-file",
                    postgres.passwordFile().toString()};
            Path dmkPasswordFile = dirA.resolve(FirstStart.DMK_PASSWORD_FILE);

            try {
                // Two nodes, each its own data directory and node key; node-a's first start creates the
                // key hierarchy and registers it, node-b is registered by the command an admin would run.
                ConfigurableApplicationContext nodeA = start(dirA, "node-a", postgres);
                ConfigurableApplicationContext nodeB = start(dirB, "node-b", postgres);
                assertThat(nodeB.getBean(com.lockkeeper.keys.Barrier.class).state().open()).isFalse();
                register(new CliRunner(dirB, "node-b"), dbOptions, dmkPasswordFile);
                List<ConfigurableApplicationContext> nodes = List.of(nodeA, nodeB);
                String token = nodeA.getBean(ApiTokens.class).createEnrollmentToken("failover-devices", Actor.system("test"))
                        .secret();
                System.out.printf("FAILOVER setup: cluster and two nodes ready in %.1f s%n", seconds(System.nanoTime() - testStart));

                // Devices escrow continuously, half of them through each node.
                AtomicBoolean running = new AtomicBoolean(true);
                ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
                List<Future<?>> clients = new ArrayList<>();
                for (int c = 0; c < CLIENTS; c++) {
                    int node = c % 2;
                    int port = Installations.port(nodes.get(node));
                    int client = c;
                    clients.add(pool.submit(() -> escrowContinuously(client, node, port, token, running)));
                }
                awaitAcks(ack -> true, 40, Duration.ofSeconds(30));

                // The primary's machine dies: SIGKILL to the postmaster and every backend, mid-stream.
                long killedAt = primary.kill();
                long acksBeforeKill = acks.stream().filter(a -> a.answeredAt() < killedAt).count();
                // The operator (or Patroni, pg_auto_failover...) promotes the synchronous standby.
                standby.promote();
                long promotedAt = System.nanoTime();
                assertThat(standby.inRecovery()).isFalse();

                boolean bothResumed = awaitAcks(ack -> ack.sentAt() > promotedAt, 2 * CLIENTS * 10, Duration.ofSeconds(60))
                        && resumedAt(0, killedAt) > 0 && resumedAt(1, killedAt) > 0;
                running.set(false);
                for (Future<?> client : clients) {
                    client.get(60, TimeUnit.SECONDS);
                }
                pool.shutdown();
                assertThat(bothResumed).as("escrow resumed on both nodes within 60 s of the promotion; statuses %s",
                        statusesByNode).isTrue();

                // --- what the clients saw -------------------------------------------------------
                double[] resumed = {seconds(resumedAt(0, killedAt) - killedAt), seconds(resumedAt(1, killedAt) - killedAt)};
                double[] lastFailure = {seconds(lastFailureAt.getOrDefault(0, new AtomicLong(killedAt)).get() - killedAt),
                        seconds(lastFailureAt.getOrDefault(1, new AtomicLong(killedAt)).get() - killedAt)};
                Map<Integer, Long> statuses = new TreeMap<>();
                statusesByNode.values().forEach(byStatus -> byStatus.forEach((status, n) -> statuses.merge(status, n.sum(), Long::sum)));
                System.out.printf("FAILOVER promotion: pg_ctl promote returned %.2f s after the kill%n", seconds(promotedAt - killedAt));
                for (int node = 0; node < 2; node++) {
                    int n = node;
                    long slowest = acks.stream().filter(a -> a.escrow().node() == n && a.answeredAt() > killedAt)
                            .mapToLong(a -> a.answeredAt() - a.sentAt()).max().orElse(0);
                    System.out.printf("FAILOVER node-%s: first escrow acknowledged %.2f s after the kill (%.2f s after the"
                                    + " promotion); last failed attempt %.2f s after the kill; slowest acknowledged attempt"
                                    + " around the failover took %.2f s; statuses %s%n",
                            node == 0 ? "a" : "b", resumed[node], resumed[node] - seconds(promotedAt - killedAt), lastFailure[node],
                            seconds(slowest), totals(statusesByNode.get(node)));
                }
                System.out.printf("FAILOVER clients: %d escrows acknowledged (%d before the kill), status codes seen %s,"
                                + " %d retries answered 200 already-stored, %d 503 without Retry-After%n",
                        acks.size(), acksBeforeKill, statuses, retriesAnswered200.sum(), unavailableWithoutRetryAfter.sum());

                assertThat(unexpected).as("no 500, no 409, no other status").isEmpty();
                assertThat(statuses.keySet()).as("only 2xx and retryable 503; -1 = connection failure").isSubsetOf(200, 201, 503);
                assertThat(statuses.getOrDefault(503, 0L)).as("clients were told to retry while the database was away").isPositive();
                assertThat(unavailableWithoutRetryAfter.sum()).isZero();
                assertThat(resumed[0]).as("seconds until escrow resumed on node-a").isLessThan(60);
                assertThat(resumed[1]).as("seconds until escrow resumed on node-b").isLessThan(60);

                // --- nothing acknowledged was lost, nothing twice, and every node decrypts it -------
                Map<String, Sent> acknowledged = new HashMap<>();
                for (Ack ack : acks) {
                    Sent previous = acknowledged.putIfAbsent(ack.escrow().protectorId(), ack.escrow());
                    assertThat(previous == null || previous.equals(ack.escrow())).as("acknowledged twice with different content")
                            .isTrue();
                }
                Set<String> sentIds = new HashSet<>();
                sent.forEach(s -> sentIds.add(s.protectorId()));
                JdbcClient jdbc = nodeA.getBean(JdbcClient.class);
                List<String> stored = jdbc.sql("SELECT protector_id FROM recovery_key").query(String.class).list();
                assertThat(new HashSet<>(stored)).as("every acknowledged escrow is stored").containsAll(hexIds(acknowledged.keySet()));
                assertThat(hexIds(sentIds)).as("nothing is stored that no client sent").containsAll(stored);
                assertThat(stored).as("each once").doesNotHaveDuplicates();
                assertThat(jdbc.sql("""
                                SELECT COUNT(*) FROM (SELECT target FROM audit_log WHERE action = 'escrow' AND outcome = 'success'
                                GROUP BY target HAVING COUNT(*) > 1) twice""").query(Long.class).single())
                        .as("no escrow was created twice").isZero();
                for (ConfigurableApplicationContext node : nodes) {
                    assertEveryAcknowledgedEscrowDecrypts(node, acknowledged.values());
                }
                List<Ack> duringFailover = acks.stream().filter(a -> a.sentAt() > killedAt).limit(5).toList();
                for (ConfigurableApplicationContext node : nodes) {
                    for (Ack ack : duringFailover) {
                        RecoveryPassword revealed = node.getBean(RevealService.class).reveal(
                                ProtectorId.parse(ack.escrow().protectorId()), REASON, Actor.user("helpdesk1"));
                        assertThat(revealed.reveal()).isEqualTo(ack.escrow().password());
                    }
                }
                assertThat(nodeA.getBean(AuditVerifier.class).verify().intact()).as("the audit chain survived the failover").isTrue();
                for (CliRunner cli : List.of(new CliRunner(dirA, "node-a"), new CliRunner(dirB, "node-b"))) {
                    Result verified = cli.run(with(dbOptions, "verify", "--sample", "1000000"));
                    assertThat(verified.exitCode()).as(verified.err()).isZero();
                    assertThat(verified.out()).contains(stored.size() + " of " + stored.size() + " recovery passwords decrypted");
                }

                // --- a third node, added after the failover, like a new SQL Server replica -------------
                ConfigurableApplicationContext nodeC = start(dirC, "node-c", postgres);
                ApiClient apiC = new ApiClient(Installations.port(nodeC));
                assertThat(apiC.get("/healthz").json().path("keys").asString()).isEqualTo("sealed");
                Map<String, Object> body = Escrows.body("PC-AFTER-FAILOVER", Escrows.newPassword());
                assertThat(apiC.post("/api/v1/escrow", token, Escrows.json(body)).status()).as("a sealed node escrows").isEqualTo(201);
                ProtectorId onC = ProtectorId.parse((String) body.get("recoveryPasswordId"));
                assertThatThrownBy(() -> nodeC.getBean(RevealService.class).reveal(onC, REASON, Actor.user("helpdesk1")))
                        .isInstanceOf(NodeSealedException.class).hasMessageContaining("lockkeeper dmk register");
                CliRunner cliC = new CliRunner(dirC, "node-c");
                String before = cliC.run(with(dbOptions, "status")).out();
                assertThat(lineWith(before, "  node-c  version")).contains("sealed").contains("run `lockkeeper dmk register` on node-c");
                register(cliC, dbOptions, dmkPasswordFile);
                assertThat(nodeC.getBean(RevealService.class).reveal(onC, REASON, Actor.user("helpdesk1")).reveal())
                        .isEqualTo(body.get("recoveryPassword"));
                assertThat(apiC.get("/healthz").json().path("keys").asString()).isEqualTo("open");
                assertThat(cliC.run(with(dbOptions, "verify")).exitCode()).isZero();
                String status = cliC.run(with(dbOptions, "status")).out();
                for (String node : List.of("node-a", "node-b", "node-c")) {
                    assertThat(lineWith(status, "  " + node + "  version")).contains("open").contains("can decrypt")
                            .doesNotContain("cannot");
                }
                System.out.printf("FAILOVER whole test: %.1f s%n", seconds(System.nanoTime() - testStart));
            } finally {
                contexts.forEach(ConfigurableApplicationContext::close);
            }
        }
    }

    /** A device's loop: a new escrow each time; a 503 or a lost connection means the same request again shortly. */
    private void escrowContinuously(int client, int node, int port, String token, AtomicBoolean running) {
        int n = 0;
        while (running.get()) {
            RecoveryPassword password = Escrows.newPassword();
            Map<String, Object> body = Escrows.body("PC-" + client + "-" + n++, password);
            Sent escrow = new Sent(node, (String) body.get("recoveryPasswordId"), password.reveal(), Escrows.json(body));
            sent.add(escrow);
            long giveUpAt = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            for (int attempt = 1; System.nanoTime() < giveUpAt; attempt++) {
                long sentAt = System.nanoTime();
                int status;
                String answer = "";
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                    + "/api/v1/escrow")).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                            .POST(HttpRequest.BodyPublishers.ofString(escrow.json())).build(), HttpResponse.BodyHandlers.ofString());
                    status = response.statusCode();
                    answer = response.body();
                    if (status == 503 && response.headers().firstValue("Retry-After").isEmpty()) {
                        unavailableWithoutRetryAfter.increment();
                    }
                } catch (IOException e) {
                    status = -1;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                statusesByNode.computeIfAbsent(node, k -> new ConcurrentHashMap<>()).computeIfAbsent(status, k -> new LongAdder())
                        .increment();
                if (status == 200 || status == 201) {
                    acks.add(new Ack(escrow, status, sentAt, System.nanoTime(), attempt));
                    if (status == 200 && attempt > 1) {
                        retriesAnswered200.increment();
                    }
                    break;
                }
                lastFailureAt.computeIfAbsent(node, k -> new AtomicLong()).accumulateAndGet(System.nanoTime(), Math::max);
                if (status != 503 && status != -1) {
                    unexpected.add(status + " " + answer);
                    break;
                }
                sleep(RETRY_PAUSE);
            }
        }
    }

    private long resumedAt(int node, long killedAt) {
        return acks.stream().filter(a -> a.escrow().node() == node && a.sentAt() > killedAt).mapToLong(Ack::answeredAt)
                .min().orElse(-1);
    }

    private boolean awaitAcks(java.util.function.Predicate<Ack> which, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (acks.stream().filter(which).count() >= count) {
                return true;
            }
            sleep(Duration.ofMillis(50));
        }
        return false;
    }

    private static void assertEveryAcknowledgedEscrowDecrypts(ConfigurableApplicationContext node, java.util.Collection<Sent> escrows) {
        RecoveryKeyRepository keys = node.getBean(RecoveryKeyRepository.class);
        RecordOpener opener = node.getBean(RecordOpener.class);
        for (Sent escrow : escrows) {
            StoredKey key = keys.byProtectorId(ProtectorId.parse(escrow.protectorId())).orElseThrow();
            byte[] keyBytes = opener.open(RecordBinding.recoveryPassword(key.protectorId(), key.volumeId()), key.password());
            assertThat(RecoveryPassword.fromKeyBytes(keyBytes).reveal()).as("escrow %s", escrow.protectorId())
                    .isEqualTo(escrow.password());
        }
    }

    private ConfigurableApplicationContext start(Path dataDir, String name, PostgresCluster postgres) {
        ConfigurableApplicationContext context = Installations.webServer(dataDir, name, postgres.lockkeeperArguments());
        contexts.add(context);
        return context;
    }

    private static void register(CliRunner cli, String[] dbOptions, Path dmkPasswordFile) {
        Result registered = cli.run(with(dbOptions, "dmk", "register", "--password-file", dmkPasswordFile.toString()));
        assertThat(registered.exitCode()).as(registered.err()).isZero();
    }

    private static Set<String> hexIds(Set<String> guids) {
        Set<String> hex = new HashSet<>();
        guids.forEach(guid -> hex.add(ProtectorId.parse(guid).hex()));
        return hex;
    }

    private static Map<Integer, Long> totals(Map<Integer, LongAdder> byStatus) {
        Map<Integer, Long> totals = new TreeMap<>();
        if (byStatus != null) {
            byStatus.forEach((status, n) -> totals.put(status, n.sum()));
        }
        return totals;
    }

    private static String[] with(String[] dbOptions, String... command) {
        String[] all = new String[command.length + dbOptions.length];
        System.arraycopy(command, 0, all, 0, command.length);
        System.arraycopy(dbOptions, 0, all, command.length, dbOptions.length);
        return all;
    }

    private static String lineWith(String output, String start) {
        return output.lines().filter(line -> line.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starting with '" + start + "' in:\n" + output));
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
