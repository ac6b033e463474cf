package com.lockkeeper.bench;

import com.lockkeeper.testing.Commands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Re-encryption alone, to compare builds: seeds one installation once, then runs
 * {@code datakey rotate --reencrypt} with each given jar in turn, round after round, so that
 * every build is measured on the same rows under the same machine load (compare the ratios).
 * Each run re-encrypts every row again, so the rounds do the same work.
 */
@Command(name = "reencryption-runs", mixinStandardHelpOptions = true,
        description = "Times `datakey rotate --reencrypt` for several builds on one seeded installation")
public final class ReencryptionRuns implements Callable<Integer> {

    @Option(names = "--computers", defaultValue = "100000", description = "fleet size to seed, two keys each (default ${DEFAULT-VALUE})")
    long computers;

    @Option(names = "--database", defaultValue = "h2", description = "h2 or postgresql (default ${DEFAULT-VALUE})")
    String database;

    @Option(names = "--jars", required = true, split = ",", description = "the packaged builds to compare")
    List<Path> jars;

    @Option(names = "--rounds", defaultValue = "2", description = "runs of each jar (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--java-option", description = "an option for the command's JVM, e.g. -XX:StartFlightRecording=...")
    List<String> javaOptions = new ArrayList<>();

    @Option(names = "--reuse", description = "H2 only: run on the installation a previous run seeded in --work")
    boolean reuse;

    @Option(names = "--work", defaultValue = "target/bench-reencryption", description = "working directory (default ${DEFAULT-VALUE})")
    Path work;

    /** GNU time, for the command's CPU time: on a shared machine it says more than the wall clock. */
    private static final Path TIME = Path.of("/usr/bin/time");

    public static void main(String[] args) {
        System.exit(new CommandLine(new ReencryptionRuns()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(work);
        String kind = database.strip().toLowerCase(Locale.ROOT);
        if (reuse && kind.equals("h2")) {
            Installation installation = Installation.embedded(jars.get(0).toAbsolutePath(), work.resolve(kind).resolve("data").toAbsolutePath());
            long keys;
            try (java.sql.Connection connection = installation.connect(); java.sql.Statement count = connection.createStatement();
                    java.sql.ResultSet rs = count.executeQuery("SELECT COUNT(*) FROM recovery_key")) {
                rs.next();
                keys = rs.getLong(1);
            }
            System.out.printf("reusing %,d keys on %s%n", keys, installation.databaseName());
            // Each run starts from the same database file: the file's garbage and compaction state otherwise drift.
            Path file = installation.dataDir().resolve("lockkeeper.mv.db");
            Path snapshot = work.resolve(kind).resolve("snapshot.mv.db");
            if (!Files.exists(snapshot)) {
                Files.copy(file, snapshot);
            }
            beforeEachRun = () -> Files.copy(snapshot, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            rounds(installation, keys);
            return 0;
        }
        try (Databases.Provisioned db = Databases.provision(kind, jars.get(0).toAbsolutePath(), work.resolve(kind))) {
            Installation installation = db.installation().bootstrapped();
            Seeder.Seeded seeded = Seeder.seed(installation, computers, work);
            System.out.printf("seeded %,d keys on %s%n", seeded.keys(), installation.databaseName());
            rounds(installation, seeded.keys());
        }
        return 0;
    }

    private interface Step {
        void run() throws Exception;
    }

    private Step beforeEachRun = () -> { };

    private void rounds(Installation installation, long keys) throws Exception {
        for (int round = 1; round <= rounds; round++) {
            for (Path jar : jars) {
                beforeEachRun.run();
                long start = System.nanoTime();
                String out = run(installation, jar);
                double seconds = (System.nanoTime() - start) / 1e9;
                Matcher rows = Pattern.compile("(\\d+) row\\(s\\) re-encrypted").matcher(out);
                long done = rows.find() ? Long.parseLong(rows.group(1)) : -1;
                if (done != keys) {
                    throw new IllegalStateException(jar + " re-encrypted " + done + " rows, " + keys + " expected:\n" + out);
                }
                Matcher cpu = Pattern.compile("cpu ([0-9.]+) s user ([0-9.]+) s sys").matcher(out);
                String cpuTime = cpu.find() ? String.format(", %.1f s CPU", Double.parseDouble(cpu.group(1))
                        + Double.parseDouble(cpu.group(2))) : "";
                System.out.printf("round %d %-20s %,d rows in %.1f s: %,.0f rows/s (with the command's start-up)%s%n", round,
                        jar.getFileName(), done, seconds, done / seconds, cpuTime);
            }
        }
    }

    private String run(Installation installation, Path jar) throws Exception {
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(TIME)) {
            command.addAll(List.of(TIME.toString(), "-f", "cpu %U s user %S s sys"));
        }
        command.add(Commands.java());
        command.addAll(javaOptions);
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString(), "datakey", "rotate", "--reencrypt"));
        command.addAll(installation.arguments());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("re-encryption with " + jar + " failed:\n" + out);
        }
        return out;
    }
}
