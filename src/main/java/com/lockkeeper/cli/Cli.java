package com.lockkeeper.cli;

import com.lockkeeper.keys.KeyCeremonyException;
import com.lockkeeper.recovery.KeyNotFoundException;
import com.lockkeeper.retention.RetentionException;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.convert.DurationStyle;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `lockkeeper` command line: the server and the admin's key ceremonies, one jar. */
@Command(name = "lockkeeper", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = "Self-hosted BitLocker recovery-key escrow and recovery server.",
        subcommands = {ServeCommand.class, StatusCommand.class, VerifyCommand.class, NodeCommands.class, DmkCommands.class,
                DatakeyCommands.class, TokenCommands.class, DeviceCommands.class, ComputerCommands.class, UserCommands.class,
                AuditCommands.class, ImportCommand.class, RotateCommand.class, BackupCommand.class, RestoreCommand.class,
                MigrationCommands.Export.class, MigrationCommands.Keypair.class})
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
                .registerConverter(Duration.class, Cli::duration)
                .setParameterExceptionHandler(Cli::usageError)
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

    /** A duration as the settings write it (30s, 5m, 500ms) or in ISO-8601 (PT30S). */
    private static Duration duration(String text) {
        try {
            return DurationStyle.detectAndParse(text.strip());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException("'" + text + "' is not a duration: write it like 30s, 5m or PT30S");
        }
    }

    /**
     * Picocli's own handling, except that unknown arguments are not echoed with their values: an
     * admin who typed {@code --password=...} must not find the password in a terminal log or CI output.
     */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        if (e instanceof CommandLine.UnmatchedArgumentException unmatched) {
            err.println(redacted(unmatched.getUnmatched()));
            if (!unmatched.printSuggestions(err)) {
                cl.usage(err);
            }
        } else {
            err.println(e.getMessage());
            cl.usage(err);
        }
        err.flush();
        return cl.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** Names unknown options without their values, and hides any argument that may be the value of one. */
    static String redacted(List<String> unmatched) {
        List<String> shown = new ArrayList<>();
        boolean afterOption = false;
        for (String arg : unmatched) {
            if (arg.startsWith("-")) {
                int equals = arg.indexOf('=');
                shown.add("'" + (equals < 0 ? arg : arg.substring(0, equals) + "=(value not shown)") + "'");
                afterOption = true;
            } else {
                shown.add(afterOption ? "(a value, not shown)" : "'" + arg + "'");
            }
        }
        return (shown.size() == 1 ? "Unknown argument: " : "Unknown arguments: ") + String.join(", ", shown);
    }

    private static String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof CliFailure || cause instanceof KeyCeremonyException
                || cause instanceof IllegalArgumentException || cause instanceof KeyNotFoundException
                || cause instanceof RetentionException)) {
            cause = cause.getCause();
        }
        if (cause instanceof CliFailure || cause instanceof KeyCeremonyException || cause instanceof IllegalArgumentException
                || cause instanceof KeyNotFoundException || cause instanceof RetentionException) {
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
