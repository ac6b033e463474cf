package com.lockkeeper.bench;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs every benchmark against the packaged server and prints BENCHMARKS.md-ready tables: each
 * figure next to its ceiling (escrow ÷ raw inserts, lookups ÷ raw SELECTs, seal rate × cores).
 * Small by default; {@code --computers 1000000} for the full run. With {@code --peer openldap} the
 * same fleet is loaded into a directory kept the way Active Directory keeps BitLocker keys, measured
 * at the same concurrencies, and every table gets a directory column from the same run.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Lockkeeper benchmarks (see BENCHMARKS.md)")
public final class Benchmarks implements Callable<Integer> {

    /** The lookup series, for Lockkeeper and the directory alike. */
    static final List<Integer> LOOKUP_CONCURRENCIES = List.of(4, 16, 64);

    @Option(names = "--computers", defaultValue = "10000", description = "fleet size to seed (default ${DEFAULT-VALUE})")
    long computers;

    @Option(names = "--databases", defaultValue = "h2,postgresql", split = ",",
            description = "which databases (default ${DEFAULT-VALUE})")
    List<String> databases;

    @Option(names = "--seconds", defaultValue = "10", description = "length of each load step (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(names = "--skip-crypto", description = "skip the JMH crypto benchmarks")
    boolean skipCrypto;

    @Option(names = "--escrow-only", description = "only the escrow load and its raw insert ceilings (no seeding)")
    boolean escrowOnly;

    @Option(names = "--quick", description = "only the request costs: escrow at concurrency 4, then lookups by name and by"
            + " ID at concurrency 4 on the seeded fleet (no raw ceilings, reveals, restarts or re-encryption)")
    boolean quick;

    @Option(names = "--escrow-clients", defaultValue = "enrolled",
            description = "enrolled: devices enrolled first escrow with their own credentials (1,000 devices, new volumes);"
                    + " legacy: every escrow a new computer with the enrollment token, as clients before enrollment (default ${DEFAULT-VALUE})")
    String escrowClients;

    @Option(names = "--profile", description = "record each server run with JFR (target/bench/<database>-<run>.jfr)")
    boolean profile;

    @Option(names = "--peer", description = "also measure a directory on the same fleet, in the same run: openldap"
            + " (Debian's slapd with Active Directory's BitLocker schema; installed with apt-get if missing)")
    String peer;

    @Option(names = "--peer-without-substring-index", description = "index the directory's names for equality only, as a"
            + " domain controller without a tuple index: adds get cheaper, the ID-prefix search walks the recovery objects")
    boolean peerWithoutSubstringIndex;

    @Option(names = "--only", description = "run one part only: peer (the directory alone, with --peer's set-up)")
    String only;

    @Option(names = "--jfr-settings", defaultValue = "profile",
            description = "JFR settings for --profile: a name or a .jfc file (default ${DEFAULT-VALUE})")
    String jfrSettings;

    @Option(names = "--lookups-only", description = "seed the fleet, then only the lookups and reveals (no escrow scaling,"
            + " raw ceilings, restarts or re-encryption)")
    boolean lookupsOnly;

    @Option(names = "--concurrency", split = ",", description = "concurrency of the lookups and reveals"
            + " (default: 4,16,64 for lookups, 1,4,16 for reveals)")
    List<Integer> loadConcurrency;

    @Option(names = "--server-option", description = "one more JVM option for the server (repeatable), e.g. -XX:+UseParallelGC")
    List<String> serverOptions = new ArrayList<>();

    @Option(names = "--control", description = "before each lookup step, the same load on /healthz (no database, no token):"
            + " what the machine and the web stack alone add to the latency")
    boolean control;

    @Option(names = "--h2-sql", description = "SQL run on the seeded H2 database once the server holds it and before the"
            + " lookups (repeatable), e.g. \"SET WRITE_DELAY 500\" to compare a setting")
    List<String> h2Sql = new ArrayList<>();

    @Option(names = "--access-log", description = "the server writes Tomcat's access log (begin, duration in µs, thread)"
            + " to <work>/<database>-<run>-access.*.log, for matching slow requests with a JFR recording")
    boolean accessLog;

    @Option(names = "--work", defaultValue = "target/bench", description = "working directory (default ${DEFAULT-VALUE})")
    Path work;

    @Option(names = "--jar", defaultValue = "target/lockkeeper.jar", description = "the packaged server")
    Path jar;

    @Spec
    CommandSpec spec;

    private final Report report = new Report();
    /** The concurrencies Lockkeeper's escrow runs used: the directory's escrow runs at the same ones. */
    private final SortedSet<Integer> escrowConcurrencies = new TreeSet<>();

    public static void main(String[] args) {
        System.exit(new CommandLine(new Benchmarks()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        boolean peerOnly = only != null;
        if (peerOnly && !only.equals("peer")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--only takes one part: peer");
        }
        if (peerOnly && peer == null) {
            peer = "openldap";
        }
        if (peer != null && !peer.equals("openldap")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--peer knows one directory: openldap");
        }
        Files.createDirectories(work);
        report.machine(computers, !peerOnly, peer != null);
        if (!skipCrypto && !peerOnly) {
            report.crypto(CryptoRun.run());
        }
        for (String database : peerOnly ? List.<String>of() : databases) {
            try {
                runOn(database.strip().toLowerCase(Locale.ROOT));
            } finally {
                save(); // a full run takes an hour: keep what was measured even if a later step fails
            }
        }
        if (peer != null) {
            try {
                System.out.println("== directory (OpenLDAP)");
                report.peer(new DirectoryPeer(computers, Duration.ofSeconds(seconds), !peerWithoutSubstringIndex).run(work.resolve("peer"),
                        escrowOnly ? List.of() : LOOKUP_CONCURRENCIES, escrowConcurrencies));
            } finally {
                save();
            }
        }
        Path out = save();
        System.out.println();
        System.out.println(report.markdown());
        System.out.println("written to " + out.toAbsolutePath());
        return 0;
    }

    private Path save() throws IOException {
        return Files.writeString(work.resolve("results.md"), report.markdown());
    }

    private void runOn(String database) throws Exception {
        try (Databases.Provisioned db = Databases.provision(database, jar.toAbsolutePath(), work.resolve(database))) {
            Installation installation = db.installation();
            System.out.println("== " + installation.databaseName());
            Report.Section section = report.section(installation.databaseName());
            String enrollmentToken;
            if (!lookupsOnly) {
                try (ServerProcess server = ServerProcess.start(installation, jvmOptions(database + "-escrow"), work.resolve(database + "-first.log"))) {
                    enrollmentToken = server.enrollmentToken();
                    section.escrow(escrowScaling(server, enrollmentToken));
                }
                if (quick) {
                    quickLookups(installation, database);
                    return;
                }
                // The raw ceilings write rows that are not sealed records: never into the installation under test.
                section.rawInserts(rawInserts(new RawDatabase(db.scratch().bootstrapped())));
            }
            if (escrowOnly) {
                return;
            }
            RawDatabase raw = new RawDatabase(installation);

            System.out.printf("seeding %,d computers / %,d keys through the escrow service%n", computers,
                    computers * Fleet.KEYS_PER_COMPUTER);
            Seeder.Seeded seeded = Seeder.seed(installation, computers, work);
            System.out.printf("  %,d keys in %.0f s (%.0f/s)%n", seeded.keys(), seeded.seconds(), seeded.rate());
            section.seeded(seeded);
            if (installation.embedded()) {
                Path file = installation.dataDir().resolve("lockkeeper.mv.db");
                System.out.printf("H2 file after seeding: %,d KiB%n", Files.size(file) / 1024);
            }

            if (!lookupsOnly) {
                long perThread = Math.max(2_000, Math.min(50_000, computers));
                RawDatabase.Rate byName = raw.selectsByName(4, perThread, computers);
                RawDatabase.Rate byPrefix = raw.selectsByIdPrefix(4, perThread, computers);
                System.out.println(byName.line());
                System.out.println(byPrefix.line());
                section.rawSelects(byName, byPrefix);
            }

            try (ServerProcess server = ServerProcess.start(installation, jvmOptions(database + "-seeded"), work.resolve(database + "-seeded.log"))) {
                section.startup(server.startup(), server.residentKib(), server.heapUsedAfterGcMib());
                String token = Staff.helpdeskToken(installation);
                runSql(installation, h2Sql);
                section.lookups(lookups(server, token));
                section.reveals(reveals(server, token));
            }
            if (lookupsOnly) {
                return;
            }
            section.restarts(restart(installation, database, installation.jar(), List.of(), "restart"),
                    restart(installation, database, classDataSharing().jar(), classDataSharing().jvmOptions(), "cds"));
            section.reencryption(Reencryption.run(installation, computers * Fleet.KEYS_PER_COMPUTER));
        }
    }

    /** Statements on the server's database, through H2's mixed mode (the server holds the file). */
    private static void runSql(Installation installation, List<String> statements) throws java.sql.SQLException {
        if (statements.isEmpty()) {
            return;
        }
        try (java.sql.Connection connection = installation.connect(); java.sql.Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
                System.out.println("ran: " + sql);
            }
        }
    }

    private ClassDataSharing.Prepared cds;

    private ClassDataSharing.Prepared classDataSharing() throws IOException, InterruptedException {
        if (cds == null) {
            cds = ClassDataSharing.prepare(jar.toAbsolutePath(), work.toAbsolutePath());
        }
        return cds;
    }

    /** Start-up time of a server started again on the seeded database (after H2 has tidied the file the import left). */
    private Duration restart(Installation installation, String database, Path serverJar, List<String> extraOptions, String run)
            throws IOException {
        List<String> options = new ArrayList<>(jvmOptions(database + "-" + run));
        options.addAll(extraOptions);
        try (ServerProcess server = ServerProcess.start(installation, serverJar, options, work.resolve(database + "-" + run + ".log"))) {
            System.out.printf("start-up (%s): %.1f s%n", run, server.startup().toMillis() / 1000.0);
            return server.startup();
        }
    }

    /** The server as production runs it, with the heap capped at the target so that the target is proven. */
    private List<String> jvmOptions(String run) {
        // The management port (metrics, health) on a free port: the harness does not use it, and 9090 may be taken.
        List<String> options = new ArrayList<>(List.of("-Xmx512m", "-Dmanagement.server.port=0"));
        if (serverOptions.stream().noneMatch(option -> option.matches("-XX:\\+Use\\w+GC"))) {
            options.add("-XX:+UseG1GC");
        }
        if (profile) {
            options.add("-XX:StartFlightRecording=settings=" + jfrSettings + ",filename=" + work.resolve(run + ".jfr").toAbsolutePath());
        }
        if (accessLog) {
            options.addAll(List.of("-Dserver.tomcat.accesslog.enabled=true",
                    "-Dserver.tomcat.basedir=" + work.resolve("tomcat").toAbsolutePath(),
                    "-Dserver.tomcat.accesslog.directory=" + work.toAbsolutePath(),
                    "-Dserver.tomcat.accesslog.prefix=" + run + "-access",
                    "-Dserver.tomcat.accesslog.buffered=true",
                    "-Dserver.tomcat.accesslog.pattern=%{begin:msec}t %{us}T %I %s %m %U"));
        }
        options.addAll(serverOptions);
        return options;
    }

    private List<LoadResult> escrowScaling(ServerProcess server, String token) throws IOException {
        Wrk wrk = new Wrk(server);
        Map<String, String> clients = new java.util.HashMap<>(Map.of("LK_TOKEN", token));
        if (escrowClients.equals("enrolled")) {
            try {
                clients.put("LK_CREDENTIALS", EnrolledDevices.enroll(server, token, 1_000, "E", work).toAbsolutePath().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while enrolling the devices", e);
            }
        } else if (!escrowClients.equals("legacy")) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--escrow-clients is enrolled or legacy, not " + escrowClients);
        }
        warmUp(server, round -> wrk.run("escrow warm-up", 8, Duration.ofSeconds(3), "escrow.lua",
                with(clients, "LK_RUN", "WARM" + round)));
        List<LoadResult> results = new ArrayList<>();
        double best = 0;
        int noGain = 0;
        if (quick) { // two rounds at one concurrency: the CPU per request is the figure to compare
            for (int round = 1; round <= 2; round++) {
                results.add(print(wrk.run("escrow", 4, Duration.ofSeconds(seconds), "escrow.lua",
                        with(clients, "LK_RUN", "Q" + round))));
            }
            return results;
        }
        for (int concurrency = 1; concurrency <= 256 && noGain < 2; concurrency *= 2) {
            LoadResult result = print(wrk.run("escrow", concurrency, Duration.ofSeconds(seconds), "escrow.lua",
                    with(clients, "LK_RUN", "C" + concurrency)));
            results.add(result);
            escrowConcurrencies.add(concurrency);
            noGain = result.throughput() > best * 1.05 ? 0 : noGain + 1;
            best = Math.max(best, result.throughput());
        }
        return results;
    }

    private static Map<String, String> with(Map<String, String> environment, String name, String value) {
        Map<String, String> more = new java.util.HashMap<>(environment);
        more.put(name, value);
        return more;
    }

    /** The seeded fleet's lookups at concurrency 4 only (--quick). */
    private void quickLookups(Installation installation, String database) throws Exception {
        Seeder.seed(installation, computers, work);
        try (ServerProcess server = ServerProcess.start(installation, jvmOptions(database + "-seeded"), work.resolve(database + "-seeded.log"))) {
            String token = Staff.helpdeskToken(installation);
            Path byName = requests("by-name", i -> "GET\t/api/v1/computers?name=" + Fleet.computerName(i));
            Path byId = requests("by-id", i -> "GET\t/api/v1/recovery-keys?id=" + Fleet.shortId(i, (int) (i & 1)));
            Wrk wrk = new Wrk(server);
            warmUp(server, round -> wrk.run("lookup warm-up", 8, Duration.ofSeconds(3), "replay.lua",
                    Map.of("LK_TOKEN", token, "LK_REQUESTS", (round % 2 == 0 ? byName : byId).toString())));
            for (int round = 0; round < 2; round++) {
                print(wrk.run("lookup by name", 4, Duration.ofSeconds(seconds), "replay.lua",
                        Map.of("LK_TOKEN", token, "LK_REQUESTS", byName.toString())));
                print(wrk.run("lookup by 8-digit ID", 4, Duration.ofSeconds(seconds), "replay.lua",
                        Map.of("LK_TOKEN", token, "LK_REQUESTS", byId.toString())));
            }
        }
    }

    private List<RawDatabase.Rate> rawInserts(RawDatabase raw) throws Exception {
        List<RawDatabase.Rate> rates = new ArrayList<>();
        for (int threads : new int[] {1, 2, 4, 8, 16}) {
            RawDatabase.Rate rate = raw.singleRowInserts(threads, 40_000 / threads);
            System.out.println(rate.line());
            rates.add(rate);
        }
        RawDatabase.Rate batched = raw.batchedInserts(2, 100_000);
        System.out.println(batched.line());
        rates.add(batched);
        return rates;
    }

    private List<LoadResult> lookups(ServerProcess server, String token) throws IOException {
        Path byName = requests("by-name", i -> "GET\t/api/v1/computers?name=" + Fleet.computerName(i));
        Path byLabel = requests("by-label", i -> "GET\t/api/v1/computers?name=" + urlEncoded(Fleet.driveLabel(i, (int) (i & 1))));
        Path byId = requests("by-id", i -> "GET\t/api/v1/recovery-keys?id=" + Fleet.shortId(i, (int) (i & 1)));
        Wrk wrk = new Wrk(server);
        warmUp(server, round -> wrk.run("lookup warm-up", 8, Duration.ofSeconds(3), "replay.lua",
                Map.of("LK_TOKEN", token, "LK_REQUESTS", List.of(byName, byLabel, byId).get(round % 3).toString())));
        List<LoadResult> results = new ArrayList<>();
        Path health = control ? requests("healthz", i -> "GET\t/healthz") : null;
        for (int concurrency : loadConcurrency == null ? List.of(4, 16, 64) : loadConcurrency) {
            if (control) {
                print(wrk.run("healthz (control)", concurrency, Duration.ofSeconds(seconds), "replay.lua",
                        Map.of("LK_TOKEN", token, "LK_REQUESTS", health.toString())));
            }
            results.add(print(wrk.run("lookup by name", concurrency, Duration.ofSeconds(seconds), "replay.lua",
                    Map.of("LK_TOKEN", token, "LK_REQUESTS", byName.toString()))));
            results.add(print(wrk.run("lookup by drive label", concurrency, Duration.ofSeconds(seconds), "replay.lua",
                    Map.of("LK_TOKEN", token, "LK_REQUESTS", byLabel.toString()))));
            results.add(print(wrk.run("lookup by 8-digit ID", concurrency, Duration.ofSeconds(seconds), "replay.lua",
                    Map.of("LK_TOKEN", token, "LK_REQUESTS", byId.toString()))));
        }
        return results;
    }

    private List<LoadResult> reveals(ServerProcess server, String token) throws IOException {
        Path reveals = requests("reveal", i -> "POST\t/api/v1/recovery-keys/" + Fleet.protectorId(i, (int) (i & 1)) + "/reveal\t"
                + "{\"reason\":\"Lost or forgotten PIN\",\"identityVerification\":\"Call back to the number on file\","
                + "\"requester\":\"" + Fleet.user(i).replace("\\", "\\\\") + "\",\"notes\":\"benchmark\"}");
        Wrk wrk = new Wrk(server);
        warmUp(server, round -> wrk.run("reveal warm-up", 4, Duration.ofSeconds(3), "replay.lua",
                Map.of("LK_TOKEN", token, "LK_REQUESTS", reveals.toString())));
        List<LoadResult> results = new ArrayList<>();
        for (int concurrency : loadConcurrency == null ? List.of(1, 4, 16) : loadConcurrency) {
            results.add(print(wrk.run("reveal", concurrency, Duration.ofSeconds(seconds), "replay.lua",
                    Map.of("LK_TOKEN", token, "LK_REQUESTS", reveals.toString()))));
        }
        return results;
    }

    /** A file of requests for replay.lua about random computers of the fleet (100,000 at most; wrk picks among them). */
    private Path requests(String name, LongFunction<String> line) throws IOException {
        SplittableRandom random = new SplittableRandom(name.hashCode());
        Path file = work.resolve("requests-" + name + ".tsv");
        try (var out = Files.newBufferedWriter(file)) {
            for (long n = Math.min(100_000, computers); n > 0; n--) {
                out.write(line.apply(random.nextLong(computers)));
                out.write('\n');
            }
        }
        return file;
    }

    private static String urlEncoded(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /**
     * Sends load in 3-second rounds until the server's JIT compiler is (almost) idle: under 5 % of a
     * core in the last round, at most 2 minutes. Measuring before that measures the compiler: on 2
     * cores C2 compiles Spring, Tomcat and H2 for one to two minutes of load.
     */
    private static void warmUp(ServerProcess server, IntFunction<LoadResult> round) throws IOException {
        long started = System.nanoTime();
        for (int n = 1; n <= 40; n++) {
            long before = server.compilerTicks();
            LoadResult result = round.apply(n);
            long ticks = server.compilerTicks() - before;
            if (n >= 2 && ticks < 0.05 * 100 * result.seconds()) {
                break;
            }
        }
        System.out.printf("warm-up: %.0f s until the JIT compiler went quiet%n", (System.nanoTime() - started) / 1e9);
    }

    private static LoadResult print(LoadResult result) {
        System.out.println(result.line());
        return result;
    }

    /** Matches the last {@code lkp_…} token a command printed. */
    static String lastToken(String output, String prefix) {
        Matcher matcher = Pattern.compile(prefix + "[A-Za-z0-9_-]{20,}").matcher(output);
        String token = null;
        while (matcher.find()) {
            token = matcher.group();
        }
        if (token == null) {
            throw new IllegalStateException("no " + prefix + " token in:\n" + output);
        }
        return token;
    }
}
