package com.lockkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.DriveLabel;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import com.lockkeeper.escrow.EscrowCommand;
import com.lockkeeper.escrow.EscrowOutcome;
import com.lockkeeper.escrow.EscrowService;
import com.lockkeeper.keys.Barrier;
import com.lockkeeper.keys.NodeSealedException;
import com.lockkeeper.recovery.RevealRequest;
import com.lockkeeper.recovery.RevealService;
import com.lockkeeper.setup.FirstStart;
import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.CliRunner.Result;
import com.lockkeeper.testing.Escrows;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.PostgresCluster;
import com.lockkeeper.testing.SharedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Several nodes on one PostgreSQL database, each with its own data directory and node key, and
 * the admin commands run against it with --db-url (no H2 file anywhere): a new node starts
 * sealed, escrows, refuses to decrypt naming the command, and opens after `dmk register`;
 * `status` on any node lists every node and which can decrypt.
 */
class PostgresNodesCliTest {

    static final RevealRequest REASON = new RevealRequest("Lost or forgotten PIN", "Call back to the number on file",
            "CORP\\alice", null);

    @TempDir
    Path dirA;

    @TempDir
    Path dirB;

    @Test
    void aSecondNodeStartsSealedEscrowsAndOpensAfterDmkRegisterFromTheCommandLine() throws Exception {
        PostgresCluster postgres = SharedPostgres.cluster();
        String url = postgres.newDatabase();
        String[] database = postgres.lockkeeperArguments(url);
        String[] dbOptions = {"--db-url", url, "--db-user", PostgresCluster.USER, "--db-password-file",
                postgres.passwordFile().toString()};
        try (ConfigurableApplicationContext nodeA = Installations.server(dirA, "node-a", database);
                ConfigurableApplicationContext nodeB = Installations.server(dirB, "node-b", database)) {
            assertThat(Files.exists(dirB.resolve("lockkeeper.mv.db"))).as("no embedded database").isFalse();
            assertThat(Files.exists(dirB.resolve("node.key"))).as("node-b has its own node key").isTrue();
            assertThat(Files.readAllBytes(dirB.resolve("node.key"))).isNotEqualTo(Files.readAllBytes(dirA.resolve("node.key")));

            // node-b: sealed, yet it escrows; it refuses to decrypt and names the command.
            assertThat(nodeB.getBean(Barrier.class).state().open()).isFalse();
            EscrowCommand escrowedOnB = escrow(nodeB);
            assertThatThrownBy(() -> nodeB.getBean(RevealService.class).reveal(escrowedOnB.recoveryPasswordId(), REASON,
                    Actor.user("helpdesk1"))).isInstanceOf(NodeSealedException.class)
                    .hasMessageContaining("lockkeeper dmk register").hasMessageContaining("node-b");
            CliRunner cliB = new CliRunner(dirB, "node-b");
            Result sealedVerify = cliB.run(with(dbOptions, "verify"));
            assertThat(sealedVerify.exitCode()).isEqualTo(3);
            assertThat(sealedVerify.err()).contains("lockkeeper dmk register");

            // status, from either node: both nodes, and which can decrypt.
            String status = cliB.run(with(dbOptions, "status")).out();
            assertThat(status).contains("Database:       jdbc:postgresql://");
            assertThat(lineWith(status, "  node-a  version")).contains("last seen").contains("open").contains("can decrypt")
                    .doesNotContain("cannot");
            assertThat(lineWith(status, "  node-b  version")).contains("sealed")
                    .contains("cannot decrypt").contains("run `lockkeeper dmk register` on node-b");

            // dmk register on node-b, with the DMK password node-a's first start wrote.
            Result registered = cliB.run(with(dbOptions, "dmk", "register", "--password-file",
                    dirA.resolve(FirstStart.DMK_PASSWORD_FILE).toString()));
            assertThat(registered.exitCode()).as(registered.err()).isZero();
            assertThat(registered.out()).contains("node node-b is registered");

            assertThat(nodeB.getBean(RevealService.class).reveal(escrowedOnB.recoveryPasswordId(), REASON, Actor.user("helpdesk1")))
                    .as("the running node opens at its next decrypt").isEqualTo(escrowedOnB.recoveryPassword());
            EscrowCommand escrowedOnA = escrow(nodeA);
            assertThat(nodeB.getBean(RevealService.class).reveal(escrowedOnA.recoveryPasswordId(), REASON, Actor.user("helpdesk1")))
                    .isEqualTo(escrowedOnA.recoveryPassword());
            for (CliRunner cli : List.of(cliB, new CliRunner(dirA, "node-a"))) {
                Result verified = cli.run(with(dbOptions, "verify"));
                assertThat(verified.exitCode()).as(verified.err()).isZero();
                assertThat(verified.out()).contains("2 of 2 recovery passwords decrypted");
            }
            String after = new CliRunner(dirA, "node-a").run(with(dbOptions, "status")).out();
            assertThat(lineWith(after, "  node-b  version")).contains("open").contains("can decrypt").doesNotContain("cannot");
            assertThat(lineWith(after, "  node-a  version")).contains("can decrypt").doesNotContain("cannot");
        }
    }

    @Test
    void aCommandWithoutTheDatabasePasswordFileSaysWhatIsMissing() {
        Result result = new CliRunner(dirB, "node-b").run("status", "--db-url", SharedPostgres.cluster().jdbcUrl(),
                "--db-password-file", dirB.resolve("missing").toString());

        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("cannot read the database password file");
    }

    private static EscrowCommand escrow(ConfigurableApplicationContext node) {
        RecoveryPassword password = Escrows.newPassword();
        EscrowCommand command = new EscrowCommand(ComputerName.parse("PC-" + UUID.randomUUID().toString().substring(0, 8)),
                VolumeId.of(UUID.randomUUID()), VolumeType.OPERATING_SYSTEM, DriveLabel.of("PC C: 11/23/2026"),
                ProtectorId.parse(Escrows.newGuid()), password, null, List.of("CORP\\alice"), null);
        assertThat(node.getBean(EscrowService.class).escrow(command, Actor.device("test"))).isEqualTo(EscrowOutcome.CREATED);
        return command;
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
}
