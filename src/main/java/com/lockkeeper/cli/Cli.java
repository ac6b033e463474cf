package com.lockkeeper.cli;

import com.lockkeeper.keys.KeyCeremonyException;
import com.lockkeeper.recovery.KeyNotFoundException;
import java.lang.reflect.Constructor;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `lockkeeper` command line: the server and the admin's key ceremonies, one jar. */
@Command(name = "lockkeeper", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Self-hosted BitLocker recovery-key escrow and recovery server.",
        subcommands = {ServeCommand.class, StatusCommand.class, VerifyCommand.class, NodeCommands.class, DmkCommands.class,
                DatakeyCommands.class, TokenCommands.class, UserCommands.class, AuditCommands.class})
public final class Cli {

    /** Exit code of `serve` when it returns while the server keeps running. */
    public static final int KEEP_RUNNING = -1;

    private final Terminal terminal;

    public Cli(Terminal terminal) {
        this.terminal = terminal;
    }

    public int run(String... args) {
        CommandLine commandLine = new CommandLine(this, new TerminalFactory(terminal))
                .setOut(terminal.out())
                .setErr(terminal.err())
                .setExecutionExceptionHandler((e, cl, parsed) -> {
                    cl.getErr().println("lockkeeper: " + reason(e));
                    cl.getErr().flush();
                    return e instanceof CliFailure failure ? failure.exitCode() : 1;
                });
        int code = commandLine.execute(args);
        terminal.out().flush();
        terminal.err().flush();
        return code;
    }

    private static String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof CliFailure || cause instanceof KeyCeremonyException
                || cause instanceof IllegalArgumentException || cause instanceof KeyNotFoundException)) {
            cause = cause.getCause();
        }
        if (cause instanceof CliFailure || cause instanceof KeyCeremonyException || cause instanceof IllegalArgumentException
                || cause instanceof KeyNotFoundException) {
            return cause.getMessage();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + firstLine(cause.getMessage()));
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end);
    }

    /** Gives every command the terminal it writes to. */
    private record TerminalFactory(Terminal terminal) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            try {
                Constructor<K> constructor = type.getDeclaredConstructor(Terminal.class);
                constructor.setAccessible(true);
                return constructor.newInstance(terminal);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(type);
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Cli.class.getPackage().getImplementationVersion();
            return new String[] {"lockkeeper " + (version == null ? "dev" : version)};
        }
    }
}
