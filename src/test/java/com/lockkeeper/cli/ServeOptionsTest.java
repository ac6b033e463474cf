package com.lockkeeper.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `serve --port/--bind` override the settings only when given; `--first-start-secrets-file` names the secrets file. */
class ServeOptionsTest {

    @TempDir
    Path dir;

    @Test
    void withoutPortAndBindTheSettingsDecide() {
        assertThat(springArguments()).noneMatch(arg -> arg.startsWith("--server.port") || arg.startsWith("--server.address"));
        assertThat(springArguments("--port", "9443", "--bind", "0.0.0.0")).contains("--server.port=9443",
                "--server.address=0.0.0.0");
    }

    @Test
    void theFirstStartSecretsFileIsPassedAsAnAbsolutePath() {
        assertThat(springArguments("--first-start-secrets-file", "first-start.txt"))
                .contains("--lockkeeper.first-start.secrets-file=" + Path.of("first-start.txt").toAbsolutePath());
        assertThat(springArguments()).noneMatch(arg -> arg.startsWith("--lockkeeper.first-start."));
    }

    private List<String> springArguments(String... options) {
        Terminal terminal = new Terminal(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), name -> null,
                () -> null);
        ServeCommand serve = new ServeCommand(terminal);
        String[] all = new String[options.length + 2];
        System.arraycopy(options, 0, all, 0, options.length);
        all[options.length] = "--data-dir";
        all[options.length + 1] = dir.toString();
        new CommandLine(serve).parseArgs(all);
        return serve.springArguments();
    }
}
