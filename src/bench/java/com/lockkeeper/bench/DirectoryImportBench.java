package com.lockkeeper.bench;

import com.lockkeeper.LockkeeperApplication;
import com.lockkeeper.activedirectory.DirectoryImport;
import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.testing.DirectoryFleet;
import com.lockkeeper.testing.TestDomainController;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The import from Active Directory at scale: {@code --objects} recovery objects (two per computer) in
 * the domain controller stand-in of the tests (UnboundID's in-memory directory with AD's schema,
 * paged at 1,000 per page like AD), imported over LDAP into a new embedded installation by the same
 * service as {@code lockkeeper import ad}; then the raw batched insert rate of the same database as
 * the ceiling. Directory and import share the machine's cores, as they would not in production.
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

    @Option(names = "--batch", split = ",", description = "keys per transaction, several to compare (default: the import's own)")
    List<Integer> batchSizes;

    @Option(names = "--rounds", defaultValue = "1", description = "rounds over the variants, interleaved, on the same directory (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--work", defaultValue = "target/bench/directory-import", description = "working directory")
    Path work;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DirectoryImportBench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        deleteRecursively(work);
        Files.createDirectories(work);
        int computers = objects / 2;
        List<Integer> sizes = batchSizes == null || batchSizes.isEmpty() ? List.of(DirectoryImport.BATCH) : batchSizes;
        DirectoryFleet fleet = new DirectoryFleet(2);
        try (TestDomainController dc = TestDomainController.start()) {
            long fillStart = System.nanoTime();
            for (int from = 0; from < computers; from += 50_000) {
                fleet.populate(dc, from, Math.min(computers, from + 50_000));
                System.out.printf(Locale.ROOT, "  directory: %,d of %,d computers%n", Math.min(computers, from + 50_000), computers);
            }
            double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
            System.out.printf(Locale.ROOT, "directory filled: %,d computers, %,d recovery objects in %.0f s%n", computers,
                    computers * 2L, fillSeconds);
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
                            System.gc();
                            long cpuBefore = processCpuNanos();
                            double seconds = importOnce(dc, password, installation, batchSize, computers);
                            double cpuMicros = (processCpuNanos() - cpuBefore) / 1e3 / (computers * 2L);
                            String row = String.format(Locale.ROOT, "| %d | %s | %s | %,d keys in %.1f s = **%,.0f keys/s** | %.0f µs |",
                                    round, db.installation().databaseName(), String.format(Locale.ROOT, "%,d", batchSize), computers * 2L, seconds,
                                    computers * 2L / seconds, cpuMicros);
                            System.out.println(row);
                            rows.add(row);
                            if (rawEscrows > 0 && round == rounds && v == sizes.size() - 1) {
                                RawDatabase.Rate raw = new RawDatabase(db.scratch().bootstrapped()).batchedInserts(1, rawEscrows);
                                rows.add(String.format(Locale.ROOT, "| | %s | raw batched escrow inserts (500/tx, 1 thread, new database) | %,.0f escrows/s | |",
                                        db.installation().databaseName(), raw.perSecond()));
                            }
                        }
                        deleteRecursively(work.resolve("run-" + run));
                    }
                }
            }
            System.out.println();
            System.out.printf(Locale.ROOT, "%,d recovery objects of %,d computers; filling the in-memory directory (not part of the import): %.0f s%n",
                    computers * 2L, computers, fillSeconds);
            System.out.println("| round | database | keys per transaction | `import ad`: read, seal, store, audit | CPU per key (whole JVM) |");
            System.out.println("|---|---|---|---:|---:|");
            rows.forEach(System.out::println);
        }
        return 0;
    }

    /** CPU time of this JVM (the directory stand-in, the import and the garbage collector), not wall time: less swayed by other work on the machine. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double importOnce(TestDomainController dc, Path password, Installation installation, int batchSize,
            int computers) {
        DirectoryImport.Report report;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(LockkeeperApplication.class)
                .web(WebApplicationType.NONE).registerShutdownHook(false).run(installation.springArguments())) {
            DirectoryImport.Connection connection = new DirectoryImport.Connection(dc.url(), TestDomainController.BASE,
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
        return report.elapsed().toNanos() / 1e9;
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
