package com.lockkeeper.testing;

import com.lockkeeper.cli.Cli;
import com.lockkeeper.cli.Terminal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Runs `lockkeeper` commands in-process, with captured output and a controlled environment. */
public final class CliRunner {

    /** What a command printed and how it exited. */
    public record Result(int exitCode, String out, String err) {

        public String lastLine() {
            String[] lines = out.strip().split("\\R");
            return lines[lines.length - 1];
        }
    }

    private final Path dataDir;
    private final String nodeName;
    private final Map<String, String> env = new HashMap<>();

    public CliRunner(Path dataDir, String nodeName) {
        this.dataDir = dataDir;
        this.nodeName = nodeName;
    }

    public CliRunner env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Runs the command with --data-dir and --node-name of this runner appended. */
    public Result run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--data-dir=" + dataDir);
        all.add("--node-name=" + nodeName);
        return runExactly(all.toArray(String[]::new));
    }

    public Result runExactly(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Terminal terminal = new Terminal(new PrintWriter(out, true), new PrintWriter(err, true), env::get, () -> null);
        int code = new Cli(terminal).run(args);
        return new Result(code, out.toString(), err.toString());
    }
}
