package com.lockkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.Recoveries;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** `lockkeeper computer retire|unretire|hold|release|list` on a real installation. */
class ComputerCommandsTest {

    @TempDir
    Path dataDir;

    @Test
    void anAdminRetiresHoldsReleasesAndUnretiresAComputerFromTheCommandLine() {
        try (ConfigurableApplicationContext server = Installations.server(dataDir, "node-a")) {
            Recoveries.escrow(server, "LAPTOP-OLD1", "CORP\\alice", Instant.now());
        }
        CliRunner cli = new CliRunner(dataDir, "node-a");

        CliRunner.Result retired = cli.run("computer", "retire", "laptop-old1", "--reason", "decommissioned");
        assertThat(retired.exitCode()).as(retired.err()).isZero();
        assertThat(retired.lastLine()).isEqualTo("retired LAPTOP-OLD1: its keys are kept (lockkeeper.retention.purge-after is not set)");

        CliRunner.Result again = cli.run("computer", "retire", "LAPTOP-OLD1", "--reason", "again");
        assertThat(again.exitCode()).isNotZero();
        assertThat(again.err()).contains("was retired already", "lockkeeper computer unretire LAPTOP-OLD1");

        assertThat(cli.run("computer", "hold", "LAPTOP-OLD1", "--reason", "litigation 2026-17").lastLine())
                .contains("LAPTOP-OLD1 is on legal hold");
        assertThat(cli.run("computer", "list").out()).contains("LAPTOP-OLD1", "retired: decommissioned", "hold: litigation 2026-17");
        assertThat(cli.run("computer", "release", "LAPTOP-OLD1").lastLine()).contains("no longer on legal hold");
        assertThat(cli.run("computer", "unretire", "LAPTOP-OLD1").lastLine()).isEqualTo("LAPTOP-OLD1 is no longer retired: its keys are kept");
        assertThat(cli.run("computer", "list").lastLine()).isEqualTo("no computer is retired, on legal hold or stale");

        CliRunner.Result unknown = cli.run("computer", "retire", "NO-SUCH-PC", "--reason", "gone");
        assertThat(unknown.err()).contains("no computer is named NO-SUCH-PC");
        assertThat(cli.run("computer", "retire", "LAPTOP-OLD1").exitCode()).as("--reason is required").isNotZero();
    }
}
