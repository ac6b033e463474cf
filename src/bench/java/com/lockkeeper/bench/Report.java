package com.lockkeeper.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** Collects the figures and renders them as the tables BENCHMARKS.md shows. */
final class Report {

    private final StringBuilder head = new StringBuilder();
    private final List<Section> sections = new ArrayList<>();
    private final int cores = Runtime.getRuntime().availableProcessors();
    private Map<String, Double> crypto;
    private DirectoryPeer.Results peer;
    private String slapd;

    /** The run's header; {@code lockkeeper} false when only the directory runs ({@code --only peer}). */
    void machine(long computers, boolean lockkeeper, boolean withPeer) {
        head.append("## Machine and run\n\n");
        head.append("- date: ").append(LocalDate.now()).append('\n');
        head.append("- CPU: ").append(cpuModel()).append(", ").append(cores).append(" cores available to the JVM\n");
        head.append("- memory: ").append(memTotal()).append('\n');
        head.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(lockkeeper ? "; server runs with -Xmx512m\n" : "\n");
        head.append(String.format("- fleet: %,d computers, %,d recovery keys (`--computers %d`)%n", computers,
                computers * Fleet.KEYS_PER_COMPUTER, computers));
        if (lockkeeper) {
            head.append("- load generator: wrk 4.1 (one thread, Lua scripts in bench/lua), closed loop; load generator, server and"
                    + " database share the same cores (loopback)\n");
        }
        if (withPeer) {
            head.append("- directory (`--peer openldap`): Debian's slapd, mdb backend, every write synced (no `dbnosync`), Active Directory's BitLocker schema"
                    + " (`bench/peer/openldap/bitlocker.schema`); the same fleet, loaded offline by slapadd; load generator: the UnboundID LDAP SDK in the"
                    + " harness JVM, one thread and one bound connection per concurrent request, closed loop; load generator and slapd"
                    + " share the same cores (loopback)\n");
        }
        head.append('\n');
    }

    void peer(DirectoryPeer.Results results) {
        this.peer = results;
        this.slapd = slapdVersion();
    }

    void crypto(Map<String, Double> perSecond) {
        this.crypto = perSecond;
    }

    Section section(String database) {
        Section section = new Section(database);
        sections.add(section);
        return section;
    }

    String markdown() {
        StringBuilder md = new StringBuilder(head);
        if (crypto != null) {
            md.append("## Crypto limit (JMH, one thread)\n\n");
            md.append("| operation | ops/s on one core | × ").append(cores).append(" cores (ceiling) |\n|---|---:|---:|\n");
            crypto.forEach((name, rate) -> md.append(String.format("| %s | %,.0f | %,.0f |%n", name, rate, rate * cores)));
            md.append('\n');
        }
        sections.forEach(section -> section.render(md));
        if (peer != null) {
            renderPeer(md);
        }
        return md.toString();
    }

    final class Section {
        private final String database;
        private List<LoadResult> escrow = List.of();
        private List<RawDatabase.Rate> rawInserts = List.of();
        private Seeder.Seeded seeded;
        private RawDatabase.Rate rawByName;
        private RawDatabase.Rate rawByPrefix;
        private Duration startup;
        private Duration restart;
        private Duration cdsRestart;
        private long residentKib;
        private long heapMib;
        private List<LoadResult> lookups = List.of();
        private List<LoadResult> reveals = List.of();
        private Reencryption.Result reencryption;

        Section(String database) {
            this.database = database;
        }

        void escrow(List<LoadResult> results) {
            escrow = results;
        }

        void rawInserts(List<RawDatabase.Rate> rates) {
            rawInserts = rates;
        }

        void seeded(Seeder.Seeded s) {
            seeded = s;
        }

        void rawSelects(RawDatabase.Rate byName, RawDatabase.Rate byPrefix) {
            rawByName = byName;
            rawByPrefix = byPrefix;
        }

        void startup(Duration took, long rssKib, long heapUsedMib) {
            startup = took;
            residentKib = rssKib;
            heapMib = heapUsedMib;
        }

        void restarts(Duration plain, Duration withCds) {
            this.restart = plain;
            this.cdsRestart = withCds;
        }

        void lookups(List<LoadResult> results) {
            lookups = results;
        }

        void reveals(List<LoadResult> results) {
            reveals = results;
        }

        void reencryption(Reencryption.Result result) {
            reencryption = result;
        }

        void render(StringBuilder md) {
            md.append("## ").append(database).append("\n\n");
            renderEscrow(md);
            if (seeded != null && rawByName != null) {
                renderLookups(md);
                renderBulk(md);
            }
        }

        private void renderEscrow(StringBuilder md) {
            md.append("### Escrow: HTTP + JSON + token + seal + audit, committed\n\n");
            md.append("| concurrency | escrows/s | p50 ms | p99 ms | p999 ms | server CPU µs/req | load generator CPU µs/req | answers |")
                    .append(peer == null ? "" : DIRECTORY_HEAD).append("\n|---:|---:|---:|---:|---:|---:|---:|---|")
                    .append(peer == null ? "" : DIRECTORY_RULE).append('\n');
            escrow.forEach(r -> md.append(String.format("| %d | %,.0f | %.2f | %.2f | %.2f | %,.0f | %,.0f | %s |", r.concurrency(),
                    r.throughput(), r.p50Millis(), r.p99Millis(), r.p999Millis(),
                    r.serverCpuMicros(), r.clientCpuMicros(), r.answers()))
                    .append(peer == null ? "" : directoryCells(peer.escrowAt(r.concurrency()).orElse(null))).append('\n'));
            md.append("\n| raw JDBC ceiling (same rows, same tables) | threads | escrows/s |\n|---|---:|---:|\n");
            rawInserts.forEach(r -> md.append(String.format("| %s | %d | %,.0f |%n", r.name(), r.threads(), r.perSecond())));
            double best = escrow.stream().mapToDouble(LoadResult::throughput).max().orElse(0);
            double rawBest = rawInserts.stream().filter(r -> r.latencies() != null)
                    .mapToDouble(RawDatabase.Rate::perSecond).max().orElse(Double.NaN);
            md.append(String.format("%n**Escrow: %,.0f/s = %.2f × the best raw single-row rate (%,.0f/s).** "
                    + "Target: ≥ 5,000/s and ≥ 0.5 ×.", best, best / rawBest, rawBest));
            if (peer != null && !peer.escrow().isEmpty()) {
                LoadResult directoryBest = peer.escrow().stream().max(Comparator.comparingDouble(LoadResult::throughput))
                        .orElseThrow();
                md.append(String.format(" Directory: %,.0f adds/s at concurrency %d; Lockkeeper ÷ directory = %.2f ×.",
                        directoryBest.throughput(), directoryBest.concurrency(), best / directoryBest.throughput()));
            }
            md.append("\n\n");
        }

        private void renderLookups(StringBuilder md) {
            if (seeded != null) {
                md.append(String.format("### Lookups at %,d recovery keys%n%n", seeded.keys()));
                md.append(String.format("Seeded through the import service (`lockkeeper import`: validation, sealing, audit; 1,000 keys per transaction): %,d keys in %.0f s, "
                        + "%,.0f keys/s.", seeded.keys(), seeded.seconds(), seeded.rate()));
                if (peer != null) {
                    md.append(String.format(" The directory loaded the same fleet offline with slapadd: %,d entries (computers and"
                            + " recovery objects) in %.0f s, %,.0f entries/s.", peer.loaded().entries(), peer.loaded().seconds(),
                            peer.loaded().rate()));
                }
                md.append("\n\n");
            }
            md.append("| request | concurrency | /s | p50 ms | p99 ms | p999 ms | server CPU µs/req | raw SELECT /s (4 threads) | ratio |")
                    .append(peer == null ? "" : DIRECTORY_HEAD).append("\n|---|---:|---:|---:|---:|---:|---:|---:|---:|")
                    .append(peer == null ? "" : DIRECTORY_RULE).append('\n');
            for (LoadResult r : lookups) {
                RawDatabase.Rate ceiling = r.name().contains("ID") ? rawByPrefix : rawByName;
                md.append(String.format("| %s | %d | %,.0f | %.2f | %.2f | %.2f | %,.0f | %,.0f | %.2f |", r.name(), r.concurrency(),
                        r.throughput(), r.p50Millis(), r.p99Millis(), r.p999Millis(),
                        r.serverCpuMicros(), ceiling.perSecond(), r.throughput() / ceiling.perSecond()))
                        .append(peer == null ? "" : directoryCells(peer.lookup(r.name(), r.concurrency()).orElse(null))).append('\n');
            }
            for (LoadResult r : reveals) {
                md.append(String.format("| reveal (decrypt + audit, committed) | %d | %,.0f | %.2f | %.2f | %.2f | %,.0f | | |",
                        r.concurrency(), r.throughput(), r.p50Millis(), r.p99Millis(),
                        r.p999Millis(), r.serverCpuMicros())).append(peer == null ? "" : directoryCells(null)).append('\n');
            }
            if (peer != null) {
                md.append("\nDirectory columns: the same request against OpenLDAP at the same concurrency (by name: find the computer,"
                        + " then list its recovery objects, two searches; by ID prefix: one substring search on the name; the"
                        + " directory answers with the recovery password itself, there is no separate reveal or audit); — where the"
                        + " directory has no such search.\n");
            }
            md.append("\nTargets: by name ≥ 5,500/s, by ID prefix ≥ 7,500/s, p99 ≤ 2 ms; reveal p99 ≤ 10 ms.\n\n");
        }

        private void renderBulk(StringBuilder md) {
            md.append("### Start-up, memory, re-encryption\n\n| figure | measured | target |\n|---|---:|---:|\n");
            if (startup != null) {
                md.append(String.format("| start-up to healthy, first start after seeding | %.1f s | ≤ 3 s |%n", startup.toMillis() / 1000.0));
                if (restart != null) {
                    md.append(String.format("| start-up to healthy, restart | %.1f s | ≤ 3 s |%n", restart.toMillis() / 1000.0));
                    md.append(String.format("| start-up to healthy, restart with %s (docs/operations.md) | %.1f s | ≤ 3 s |%n",
                            ClassDataSharing.aotCache() ? "the AOT cache" : "class data sharing", cdsRestart.toMillis() / 1000.0));
                }
                md.append(String.format("| heap in use after GC (-Xmx512m) | %,d MiB | ≤ 512 MB |%n", heapMib));
                md.append(String.format("| resident set size | %,d MiB | |%n", residentKib / 1024));
            }
            if (reencryption != null) {
                md.append(String.format("| `datakey rotate --reencrypt` | %,.0f rows/s (%,d rows in %.1f s) | ≥ 20,000 rows/s |%n",
                        reencryption.rate(), reencryption.rows(), reencryption.seconds()));
            }
            md.append('\n');
        }
    }

    private static final String DIRECTORY_HEAD = " directory /s | directory p50 ms | directory p99 ms | slapd CPU µs/op |";
    private static final String DIRECTORY_RULE = "---:|---:|---:|---:|";

    private static String directoryCells(LoadResult r) {
        if (r == null) {
            return " — | | | |";
        }
        return String.format(" %,.0f | %.2f | %.2f | %,.0f |", r.throughput(), r.p50Millis(), r.p99Millis(), r.serverCpuMicros());
    }

    private void renderPeer(StringBuilder md) {
        md.append("## Directory (OpenLDAP standing in for Active Directory)\n\n");
        md.append("slapd ").append(slapd).append(" (Debian), mdb backend, every write synced; indexes: ")
                .append(String.join("; ", peer.indexes())).append(".\n\n");
        md.append(String.format("Loaded offline with slapadd: %,d computers, %,d entries in all, in %.1f s (%,.0f entries/s).%n%n",
                peer.loaded().computers(), peer.loaded().entries(), peer.loaded().seconds(), peer.loaded().rate()));
        md.append("| operation | concurrency | /s | p50 ms | p99 ms | p999 ms | slapd CPU µs/op | load generator CPU µs/op | answers |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        List<LoadResult> all = new ArrayList<>(peer.escrow());
        all.addAll(peer.lookups());
        for (LoadResult r : all) {
            String name = r.name().equals(DirectoryPeer.ESCROW) ? "escrow (add, synced)" : r.name();
            md.append(String.format("| %s | %d | %,.0f | %.2f | %.2f | %.2f | %,.0f | %,.0f | %s |%n", name, r.concurrency(),
                    r.throughput(), r.p50Millis(), r.p99Millis(), r.p999Millis(), r.serverCpuMicros(), r.clientCpuMicros(),
                    directoryAnswers(r)));
        }
        md.append('\n');
    }

    /** "all succeeded", or how many operations failed or found nothing. */
    static String directoryAnswers(LoadResult r) {
        return r.failed() == 0 ? "all succeeded" : r.failed() + " of " + r.requests() + " failed or found nothing";
    }

    private static String slapdVersion() {
        try {
            Process p = new ProcessBuilder("dpkg-query", "-W", "-f", "${Version}", "slapd").redirectErrorStream(true).start();
            String version = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor() == 0 && !version.isEmpty() ? version : "(version unknown)";
        } catch (IOException e) {
            return "(version unknown)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(version unknown)";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .map(l -> String.format("%,d MiB", Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024))
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

}
