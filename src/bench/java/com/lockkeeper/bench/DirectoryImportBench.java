package com.lockkeeper.bench;

import com.lockkeeper.LockkeeperApplication;
import com.lockkeeper.activedirectory.DirectoryImport;
import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.testing.Commands;
import com.lockkeeper.testing.TestDomainController;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The import from Active Directory at scale: {@code --objects} recovery objects (two per computer) in
 * the domain controller stand-in of the tests ({@link DirectoryStandIn}, a JVM of its own), imported
 * over LDAP into a new installation by {@code lockkeeper import ad} of the packaged jar, run as an admin
 * runs it; then the raw batched insert rate of the same database as the ceiling. Directory and import
 * share the machine's two cores, as they would not in production.
 */
@Command(name = "directory-import", mixinStandardHelpOptions = true,
        description = "Lockkeeper benchmark: import of BitLocker recovery objects from Active Directory (see BENCHMARKS.md)")
public final class DirectoryImportBench implements Callable<Integer> {

    @Option(names = "--objects", defaultValue = "1000000", description = "recovery objects to import (default ${DEFAULT-VALUE})")
    int objects;

    @Option(names = "--raw-escrows", defaultValue = "200000", description = "escrows for the raw insert ceiling, 0: none (default ${DEFAULT-VALUE})")
    long rawEscrows;

    @Option(names = "--db", split = ",", defaultValue = "h2", description = "databases to import into, h2 and/or postgresql (default ${DEFAULT-VALUE})")
    List<String> databases;

    @Option(names = "--batch", split = ",", description = "keys per transaction, several to compare; runs the import service"
            + " inside this JVM (default: `lockkeeper import ad` of the packaged jar, with its own batch size)")
    List<Integer> batchSizes;

    @Option(names = "--import-java-option", description = "a JVM option for the import command, repeatable (default: none, the JVM's defaults)")
    List<String> importJavaOptions = new ArrayList<>();

    @Option(names = "--directory-heap", defaultValue = "14g", description = "heap of the directory stand-in's JVM (default ${DEFAULT-VALUE})")
    String directoryHeap;

    @Option(names = "--rounds", defaultValue = "1", description = "rounds over the variants, interleaved, on the same directory (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--keep-data", description = "keep each run's data directory (and database) in the working directory")
    boolean keepData;

    @Option(names = "--work", defaultValue = "target/bench/directory-import", description = "working directory")
    Path work;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DirectoryImportBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Databases.deleteTree(work);
        Files.createDirectories(work);
        int computers = objects / 2;
        boolean inProcess = batchSizes != null && !batchSizes.isEmpty();
        List<Integer> sizes = inProcess ? batchSizes : List.of(DirectoryImport.BATCH);
        try (DirectoryStandIn directory = DirectoryStandIn.start(computers, directoryHeap)) {
            Path password = work.resolve("reader-password");
            Files.writeString(password, TestDomainController.READER_PASSWORD + "\n");

            List<String> rows = new ArrayList<>();
            int run = 0;
            for (int round = 1; round <= rounds; round++) {
                for (String database : databases) {
                    for (int v = 0; v < sizes.size(); v++) {
                        int batchSize = sizes.get(v);
                        run++;
                        try (Databases.Provisioned db = Databases.provision(database, Path.of("target/lockkeeper.jar"),
                                work.resolve("run-" + run))) {
                            Installation installation = db.installation().bootstrapped();
                            long directoryCpuBefore = directory.cpuNanos();
                            Measured measured = inProcess ? importInProcess(directory.url(), password, installation, batchSize, computers)
                                    : importWithPackagedJar(directory.url(), password, installation);
                            double directoryCpuMicros = (directory.cpuNanos() - directoryCpuBefore) / 1e3 / (computers * 2L);
                            String row = String.format(Locale.ROOT,
                                    "| %d | %s | %s | %,d keys in %.1f s = **%,.0f keys/s** | %.1f s | %.0f µs | %.0f µs |",
                                    round, db.installation().databaseName(), String.format(Locale.ROOT, "%,d", batchSize),
                                    computers * 2L, measured.importSeconds(), measured.keysPerSecond(),
                                    measured.commandSeconds(), measured.cpuMicrosPerKey(), directoryCpuMicros);
                            System.out.println(row);
                            rows.add(row);
                            if (rawEscrows > 0 && round == rounds && v == sizes.size() - 1) {
                                RawDatabase.Rate raw = new RawDatabase(db.scratch().bootstrapped()).batchedInserts(1, rawEscrows);
                                rows.add(String.format(Locale.ROOT, "| | %s | raw batched escrow inserts (500/tx, 1 thread, new database) | %,.0f escrows/s | | | |",
                                        db.installation().databaseName(), raw.perSecond()));
                            }
                        }
                        if (!keepData) {
                            Databases.deleteTree(work.resolve("run-" + run));
                        }
                    }
                }
            }
            System.out.println();
            System.out.printf(Locale.ROOT, "%,d recovery objects of %,d computers; filling the directory stand-in (its own JVM, not part of the import): %.0f s%n",
                    computers * 2L, computers, directory.fillSeconds());
            System.out.println("| round | database | keys per transaction | `import ad`: read, seal, store, audit | whole command"
                    + " (JVM start to exit, compaction included) | importer's CPU per key | directory's CPU per key |");
            System.out.println("|---|---|---|---:|---:|---:|---:|");
            rows.forEach(System.out::println);
        }
        return 0;
    }

    /** One import: its own figure (reading to the last commit), the whole command's wall time, and the importing process's CPU per key. */
    private record Measured(double importSeconds, double keysPerSecond, double commandSeconds, double cpuMicrosPerKey) {
    }

    private static final Pattern IMPORT_FIGURE = Pattern.compile("imported from .*\\(([0-9.]+) s, ([0-9]+) keys/s\\)");

    /**
     * {@code lockkeeper import ad} as an admin runs it: the packaged jar, the JVM's defaults, its own process. The
     * process's CPU comes from the shell that waited for it ({@code cutime}/{@code cstime} of /proc/PID/stat).
     */
    private Measured importWithPackagedJar(String url, Path password, Installation installation) throws Exception {
        Path cpuFile = work.resolve("import-cpu");
        List<String> command = new ArrayList<>(List.of("sh", "-c", "\"$@\"; s=$?; cat /proc/$$/stat > '" + cpuFile + "'; exit $s", "sh",
                Commands.java()));
        command.addAll(importJavaOptions);
        command.addAll(List.of("-jar", installation.jar().toString(), "import", "ad", "--url", url, "--base-dn", TestDomainController.BASE,
                "--bind-dn", TestDomainController.READER, "--bind-password-file", password.toString()));
        command.addAll(installation.arguments());
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int exit = process.waitFor();
        double commandSeconds = (System.nanoTime() - start) / 1e9;
        Matcher figure = IMPORT_FIGURE.matcher(out);
        if (exit != 0 || !figure.find()) {
            throw new IllegalStateException("`lockkeeper import ad` exited with " + exit + ":\n" + out);
        }
        System.out.println(figure.group());
        String procStat = Files.readString(cpuFile);
        String[] stat = procStat.substring(procStat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(stat[13]) + Long.parseLong(stat[14]); // cutime, cstime: fields 16 and 17
        return new Measured(Double.parseDouble(figure.group(1)), Double.parseDouble(figure.group(2)), commandSeconds, ticks * 1e4 / objects);
    }

    /** CPU time of this JVM (the import and its garbage collector), not wall time: less swayed by other work on the machine. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The import service in this JVM, for comparing batch sizes (the command always uses its own). */
    private Measured importInProcess(String url, Path password, Installation installation, int batchSize, int computers) {
        System.gc();
        long cpuBefore = processCpuNanos();
        DirectoryImport.Report report;
        long start = System.nanoTime();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(LockkeeperApplication.class)
                .web(WebApplicationType.NONE).registerShutdownHook(false).run(installation.springArguments())) {
            DirectoryImport.Connection connection = new DirectoryImport.Connection(url, TestDomainController.BASE,
                    TestDomainController.READER, password, null, 1_000, Duration.ofMinutes(5));
            long[] shown = {0};
            report = context.getBean(DirectoryImport.class).importDirectory(connection, false, batchSize, AuditAction.DIRECTORY_IMPORT,
                    Actor.system("bench"), (done, expected) -> {
                        if (done - shown[0] >= 100_000) {
                            shown[0] = done;
                            System.out.printf(Locale.ROOT, "  imported %,d%n", done);
                        }
                    });
        }
        if (report.summary().stored() != computers * 2L) {
            throw new IllegalStateException("the import stored " + report.summary().stored() + " of " + computers * 2L + ": "
                    + report.counts());
        }
        System.out.println(report.counts());
        double seconds = report.elapsed().toNanos() / 1e9;
        return new Measured(seconds, computers * 2L / seconds, (System.nanoTime() - start) / 1e9,
                (processCpuNanos() - cpuBefore) / 1e3 / (computers * 2L));
    }
}
