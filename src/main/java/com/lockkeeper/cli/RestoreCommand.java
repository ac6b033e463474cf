package com.lockkeeper.cli;

import com.lockkeeper.backup.EmbeddedRestore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "restore", description = "Restore a `lockkeeper backup` file into a new, empty data directory. The node"
        + " there gets a new node key; open it with `lockkeeper dmk register --password-file FILE`.")
final class RestoreCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "the backup file")
    Path backup;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR",
            description = "the new data directory to restore into: absent or empty")
    Path dataDir;

    private final Terminal terminal;

    RestoreCommand(Terminal terminal) {
        this.terminal = terminal;
    }

    @Override
    public Integer call() {
        Path dir = dataDir.toAbsolutePath().normalize();
        String refusal = EmbeddedRestore.refusal(backup, dir);
        if (refusal != null) {
            throw new CliFailure(refusal);
        }
        EmbeddedRestore.restore(backup, dir, new PrintStream(System.out, true));
        terminal.out().println("restored " + backup + " into " + dir + " (0700, files 0600). Next, on this machine:");
        terminal.out().println("  lockkeeper dmk register --password-file FILE --data-dir " + dataDir
                + "   (the DMK password; creates this node's key)");
        terminal.out().println("  lockkeeper serve --data-dir " + dataDir);
        terminal.out().println("If the DMK password is lost: `lockkeeper dmk rotate --recreate --datakey-file EXPORT --data-dir "
                + dataDir + "` with a datakey export.");
        return 0;
    }
}
