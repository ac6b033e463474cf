package com.lockkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.lockkeeper.testing.CliRunner;
import com.lockkeeper.testing.CliRunner.Result;
import com.lockkeeper.testing.Installations;
import com.lockkeeper.testing.People;
import com.lockkeeper.tokens.ApiTokens;
import com.lockkeeper.tokens.TokenHolder;
import com.lockkeeper.users.Role;
import com.lockkeeper.users.UserAccounts;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/** `lockkeeper token create --user NAME`: a personal access token for scripts, printed alone on the last line. */
class PersonalTokenCommandTest {

    static final String NODE = "node-pat";

    @TempDir
    static Path dataDir;

    static String helpdesk;
    static String disabled;

    CliRunner cli = new CliRunner(dataDir, NODE);

    @BeforeAll
    static void install() {
        try (ConfigurableApplicationContext server = Installations.server(dataDir, NODE)) {
            helpdesk = People.add(server, "script", Role.HELPDESK);
            disabled = People.add(server, "gone", Role.HELPDESK);
            server.getBean(UserAccounts.class).setDisabled(disabled, true, com.lockkeeper.audit.Actor.system("t"));
        }
    }

    @Test
    void createsAPersonalTokenBoundToTheUserAndPrintsItOnceOnTheLastLine() {
        Result created = cli.run("token", "create", "--user", helpdesk, "--name", "inventory sync");

        assertThat(created.exitCode()).as(created.err()).isZero();
        String token = created.lastLine();
        assertThat(token).matches("lkp_[A-Za-z0-9_-]{43}");
        assertThat(created.out().split(Pattern.quote(token), -1)).hasSize(2);
        assertThat(created.out()).contains(helpdesk, "HELPDESK");
        try (ConfigurableApplicationContext server = Installations.server(dataDir, NODE)) {
            TokenHolder holder = server.getBean(ApiTokens.class).authenticate(token).orElseThrow();
            assertThat(holder.personal()).isTrue();
            assertThat(holder.tokenName()).isEqualTo("inventory sync");
            assertThat(holder.userId()).isEqualTo(server.getBean(UserAccounts.class).find(helpdesk).orElseThrow().id());
        }
        Result list = cli.run("token", "list");
        assertThat(list.out()).contains("inventory sync").contains("personal").contains(helpdesk).doesNotContain(token);
    }

    @Test
    void aLabelIsOptional() {
        Result created = cli.run("token", "create", "--user", helpdesk);

        assertThat(created.exitCode()).isZero();
        assertThat(created.lastLine()).startsWith("lkp_");
    }

    @Test
    void enrollmentTokensStillComeFromName() {
        Result created = cli.run("token", "create", "--name", "site-paris");

        assertThat(created.exitCode()).isZero();
        assertThat(created.lastLine()).startsWith("lke_");
    }

    @Test
    void anUnknownOrDisabledUserOrNoOptionIsRefusedWithTheNextStep() {
        Result unknown = cli.run("token", "create", "--user", "nobody-here");
        Result off = cli.run("token", "create", "--user", disabled);
        Result neither = cli.run("token", "create");

        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.err()).contains("nobody-here").contains("lockkeeper user list");
        assertThat(off.exitCode()).isNotZero();
        assertThat(off.err()).contains("disabled");
        assertThat(neither.exitCode()).isNotZero();
        assertThat(neither.err()).contains("--name").contains("--user");
        for (Result r : new Result[] {unknown, off, neither}) {
            assertThat(r.out()).doesNotContain("lkp_").doesNotContain("lke_");
        }
    }
}
