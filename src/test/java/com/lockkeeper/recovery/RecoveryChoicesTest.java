package com.lockkeeper.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.computers.ComputerSummary;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.Recoveries;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.SignedInUser;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** The reason and identity-method lists come from configuration; entries may hold commas when indexed. */
class RecoveryChoicesTest {

    @TempDir
    Path dataDir;

    @Test
    void configuredListsReplaceTheDefaults() {
        try (ConfigurableApplicationContext server = Installations.server(dataDir, "choices-test",
                "--lockkeeper.recovery.reasons[0]=Stolen, then found",
                "--lockkeeper.recovery.reasons[1]=Other (notes required)",
                "--lockkeeper.recovery.identity-methods=Video call,Other")) {
            HelpdeskRecovery helpdesk = server.getBean(HelpdeskRecovery.class);
            assertThat(helpdesk.choices().reasons()).containsExactly(Choice.plain("Stolen, then found"), Choice.withNotes("Other"));
            assertThat(helpdesk.choices().identityMethods()).containsExactly(Choice.plain("Video call"), Choice.withNotes("Other"));

            assertThat(helpdesk.checkReason(new HelpdeskRequest(null, null, null, null, "stolen, then found", null)).label())
                    .isEqualTo("Stolen, then found");
            assertThat(HelpdeskRecoveryTest.fieldErrors(() -> helpdesk.checkReason(
                    new HelpdeskRequest(null, null, null, null, "Lost or forgotten PIN", null)))).containsOnlyKeys("reason");

            Recoveries.escrow(server, "CHOICES-1", "CORP\\alice", Instant.now());
            ComputerSummary computer = helpdesk.findComputer("CHOICES-1").computer().orElseThrow();
            SignedInUser staff = new SignedInUser("hd", Set.of(Role.HELPDESK), "form");
            assertThat(helpdesk.checkCaller(staff, computer, new HelpdeskRequest("alice", "video call", null, null, null, null))
                    .verification()).isEqualTo("Video call");
            assertThat(HelpdeskRecoveryTest.fieldErrors(() -> helpdesk.checkCaller(staff, computer,
                    new HelpdeskRequest("alice", "Call back to the number on file", null, null, null, null))))
                    .containsOnlyKeys("identityVerification");
        }
    }

    @Test
    void theDefaultsAreTheListsOfTheRecoveryProcess() {
        RecoveryChoices defaults = RecoveryChoices.defaults();
        assertThat(defaults.reasons()).hasSize(14).startsWith(Choice.plain("Operating system boot order changed"))
                .contains(Choice.plain("Unknown"));
        assertThat(defaults.identityMethods()).contains(Choice.plain("Call back to the number on file"), Choice.withNotes("Other"));
    }
}
