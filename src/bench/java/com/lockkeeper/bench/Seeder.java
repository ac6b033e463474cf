package com.lockkeeper.bench;

import com.lockkeeper.EmbeddedStoreHousekeeping;
import com.lockkeeper.LockkeeperApplication;
import com.lockkeeper.audit.Actor;
import com.lockkeeper.escrow.EscrowImport;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Fills an installation with the fleet through {@code lockkeeper import}'s service in-process: the
 * same validation and sealing as the API, a thousand escrows per transaction. The fleet is written
 * as JSON Lines files of 100,000 escrows and imported one file after the other, and the embedded
 * database file compacted at the end as the command does. Run it while no server is running on the
 * installation.
 */
final class Seeder {

    static final int CHUNK = 100_000;

    record Seeded(long keys, double seconds) {
        double rate() {
            return keys / seconds;
        }
    }

    private Seeder() {
    }

    static Seeded seed(Installation installation, long computers, Path work) throws IOException {
        Path chunk = work.resolve("fleet-chunk.jsonl");
        long total = computers * Fleet.KEYS_PER_COMPUTER;
        long stored = 0;
        double seconds = 0;
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(LockkeeperApplication.class)
                .web(WebApplicationType.NONE).registerShutdownHook(false).run(installation.springArguments())) {
            EscrowImport escrowImport = context.getBean(EscrowImport.class);
            Actor actor = Actor.system("bench-seeder");
            for (long from = 0; from < computers; from += CHUNK / Fleet.KEYS_PER_COMPUTER) {
                writeChunk(chunk, from, Math.min(computers, from + CHUNK / Fleet.KEYS_PER_COMPUTER));
                long start = System.nanoTime();
                EscrowImport.Summary summary = escrowImport.importFile(chunk, actor, done -> { });
                seconds += (System.nanoTime() - start) / 1e9;
                if (summary.stored() != summary.lines()) {
                    throw new IllegalStateException("seeding stored " + summary.stored() + " of " + summary.lines() + " keys");
                }
                stored += summary.stored();
                System.out.printf("  seeded %,d of %,d keys (%.0f/s)%n", stored, total, stored / seconds);
            }
            compactAsImportDoes(context);
        } finally {
            Files.deleteIfExists(chunk);
        }
        return new Seeded(stored, seconds);
    }

    /**
     * {@code lockkeeper import} compacts the embedded database file before it ends; the server then
     * starts on a compact file, and so does the benchmark's (an uncompacted 24 GB seed of a million
     * computers added 1.4 s to every start).
     */
    private static void compactAsImportDoes(ConfigurableApplicationContext context) {
        long start = System.nanoTime();
        boolean compacted;
        try {
            compacted = context.getBean(EmbeddedStoreHousekeeping.class).compactNow(Duration.ofMinutes(5));
        } catch (SQLException e) {
            throw new IllegalStateException("compacting the seeded database failed", e);
        }
        if (compacted) { // false on PostgreSQL: nothing to compact
            System.out.printf("  compacted the database file as `lockkeeper import` does: %.1f s%n", (System.nanoTime() - start) / 1e9);
        }
    }

    private static void writeChunk(Path file, long from, long to) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (long i = from; i < to; i++) {
                for (int k = 0; k < Fleet.KEYS_PER_COMPUTER; k++) {
                    out.write(escrowJson(Fleet.fqdn(i), Fleet.volumeId(i, k).toString(), Fleet.volumeType(k),
                            Fleet.driveLabel(i, k), Fleet.protectorId(i, k).toString(), Fleet.password(i, k).reveal(),
                            Fleet.user(i)));
                    out.newLine();
                }
            }
        }
    }

    /** An escrow body as devices send it (the values need no JSON escaping but the user's backslash). */
    private static String escrowJson(String computer, String volumeId, String volumeType, String driveLabel, String protectorId,
            String password, String user) {
        return "{\"computer\":\"" + computer + "\",\"volumeId\":\"" + volumeId + "\",\"volumeType\":\"" + volumeType
                + "\",\"driveLabel\":\"" + driveLabel + "\",\"recoveryPasswordId\":\"" + protectorId
                + "\",\"recoveryPassword\":\"" + password + "\",\"users\":[\"" + user.replace("\\", "\\\\")
                + "\"],\"createdAt\":\"2026-11-23T10:15:00Z\"}";
    }
}
