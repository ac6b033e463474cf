package com.lockkeeper.bench;

import com.lockkeeper.LockkeeperApplication;
import com.lockkeeper.audit.Actor;
import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.DriveLabel;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import com.lockkeeper.escrow.EscrowCommand;
import com.lockkeeper.escrow.EscrowOutcome;
import com.lockkeeper.escrow.EscrowService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Fills an installation with the fleet through the real escrow service in-process (validation,
 * sealing under epoch keys, computers/volumes/users upserts, audit records), only without HTTP.
 * Run it while no server is running on the installation.
 */
final class Seeder {

    record Seeded(long keys, double seconds) {
        double rate() {
            return keys / seconds;
        }
    }

    private Seeder() {
    }

    static Seeded seed(Installation installation, long fromComputer, long toComputer, int threads) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(LockkeeperApplication.class)
                .web(WebApplicationType.NONE).registerShutdownHook(false).run(installation.springArguments())) {
            EscrowService escrow = context.getBean(EscrowService.class);
            Actor actor = Actor.system("bench-seeder");
            AtomicLong next = new AtomicLong(fromComputer);
            AtomicLong stored = new AtomicLong();
            long total = (toComputer - fromComputer) * Fleet.KEYS_PER_COMPUTER;
            long start = System.nanoTime();
            List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(new Thread(() -> {
                    for (long i = next.getAndIncrement(); i < toComputer; i = next.getAndIncrement()) {
                        for (int k = 0; k < Fleet.KEYS_PER_COMPUTER; k++) {
                            if (escrow.escrow(command(i, k), actor) == EscrowOutcome.CONFLICT) {
                                throw new IllegalStateException("conflict seeding computer " + i);
                            }
                        }
                        long done = stored.addAndGet(Fleet.KEYS_PER_COMPUTER);
                        if (done % 100_000 == 0) {
                            System.out.printf("  seeded %,d of %,d keys (%.0f/s)%n", done, total,
                                    done / ((System.nanoTime() - start) / 1e9));
                        }
                    }
                }, "seeder-" + t));
            }
            workers.forEach(Thread::start);
            for (Thread worker : workers) {
                worker.join();
            }
            return new Seeded(stored.get(), (System.nanoTime() - start) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static EscrowCommand command(long i, int k) {
        return new EscrowCommand(ComputerName.parse(Fleet.fqdn(i)), VolumeId.of(Fleet.volumeId(i, k)),
                VolumeType.parse(Fleet.volumeType(k)), DriveLabel.of(Fleet.driveLabel(i, k)),
                ProtectorId.parse(Fleet.protectorId(i, k).toString()), Fleet.password(i, k), null,
                List.of(Fleet.user(i)), Instant.parse("2026-11-23T10:15:00Z").plusSeconds(k));
    }
}
