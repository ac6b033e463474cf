package com.lockkeeper.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceilings: what the database itself does with the rows an escrow writes and the queries a
 * lookup runs, through plain JDBC with prepared statements, no HTTP, no crypto, no audit chain.
 * An escrow writes one computer, one volume, one associated user, one recovery key and one audit
 * record in one transaction; the single-row ceiling does exactly that, the batched one the same
 * rows 500 escrows per transaction.
 */
final class RawDatabase {

    record Rate(String name, int threads, long operations, double seconds, long[] latencies) {
        double perSecond() {
            return operations / seconds;
        }

        double percentileMillis(double q) {
            if (latencies == null || latencies.length == 0) {
                return Double.NaN;
            }
            int index = (int) Math.min(latencies.length - 1, Math.ceil(q * latencies.length) - 1);
            return latencies[Math.max(0, index)] / 1_000_000.0;
        }

        String line() {
            return String.format("%-34s threads=%-2d %10.0f/s%s", name, threads, perSecond(), latencies == null ? ""
                    : String.format("  p50 %.3f ms  p99 %.3f ms", percentileMillis(0.5), percentileMillis(0.99)));
        }
    }

    private static final String INSERT_COMPUTER =
            "INSERT INTO computer (id, name, domain, created_at, updated_at) VALUES (?, ?, ?, ?, ?)";
    private static final String INSERT_VOLUME = "INSERT INTO volume (id, volume_guid, computer_id, volume_type, drive_label,"
            + " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_USER = "INSERT INTO computer_user (computer_id, account, added_at) VALUES (?, ?, ?)";
    private static final String INSERT_KEY = "INSERT INTO recovery_key (id, protector_id, volume_id, status, created_at,"
            + " escrowed_at, fingerprint) VALUES (?, ?, ?, 'active', ?, ?, ?)";
    private static final String INSERT_SECRET = "INSERT INTO key_secret (key_id, format_version, epoch_id, password_ct)"
            + " VALUES (?, 1, ?, ?)";
    private static final String INSERT_AUDIT = "INSERT INTO audit_log (lane, seq, at, actor, action, target, outcome, detail,"
            + " prev_hash, hash) VALUES (?, ?, ?, 'device:bench', 'escrow', ?, 'success', 'OperatingSystem', ?, ?)";

    static final String BY_NAME = """
            SELECT c.id, c.name, v.volume_guid, v.volume_type, v.drive_label, k.protector_id, k.status, k.created_at
            FROM computer c JOIN volume v ON v.computer_id = c.id JOIN recovery_key k ON k.volume_id = v.id
            WHERE c.name = ?""";
    static final String BY_ID_PREFIX = """
            SELECT k.protector_id, c.name, v.volume_guid, v.drive_label, k.status, k.created_at
            FROM recovery_key k JOIN volume v ON v.id = k.volume_id JOIN computer c ON c.id = v.computer_id
            WHERE k.protector_id LIKE ?""";

    private final Installation installation;
    private final AtomicLong ids = new AtomicLong(2_000_000_000L);

    RawDatabase(Installation installation) {
        this.installation = installation;
    }

    /** One transaction per escrow, each row its own INSERT; the best of a few thread counts is the ceiling. */
    Rate singleRowInserts(int threads, long escrowsPerThread) throws Exception {
        UUID epoch = anyEpoch();
        return timed("raw single-row escrow inserts", threads, escrowsPerThread, true, connection -> {
            Writer writer = new Writer(connection, epoch);
            return () -> {
                writer.add(1);
                writer.flush();
                connection.commit();
            };
        });
    }

    /** The same rows, 500 escrows per transaction through JDBC batches. */
    Rate batchedInserts(int threads, long escrowsPerThread) throws Exception {
        UUID epoch = anyEpoch();
        Rate batches = timed("raw batched escrow inserts (500/tx)", threads, escrowsPerThread / 500, false, connection -> {
            Writer writer = new Writer(connection, epoch);
            return () -> {
                writer.add(500);
                writer.flush();
                connection.commit();
            };
        });
        return new Rate(batches.name(), threads, batches.operations() * 500, batches.seconds(), null);
    }

    /** Lookup of a seeded computer by name with its volumes and keys. */
    Rate selectsByName(int threads, long perThread, long computers) throws Exception {
        return timed("raw SELECT by computer name", threads, perThread, true, connection -> {
            PreparedStatement select = connection.prepareStatement(BY_NAME);
            SplittableRandom random = new SplittableRandom();
            return () -> {
                select.setString(1, Fleet.computerName(random.nextLong(computers)));
                expectRows(select, Fleet.KEYS_PER_COMPUTER);
            };
        });
    }

    /** Lookup of a seeded key by the 8 hex digits of its recovery password ID. */
    Rate selectsByIdPrefix(int threads, long perThread, long computers) throws Exception {
        return timed("raw SELECT by 8-digit ID prefix", threads, perThread, true, connection -> {
            PreparedStatement select = connection.prepareStatement(BY_ID_PREFIX);
            SplittableRandom random = new SplittableRandom();
            return () -> {
                select.setString(1, Fleet.shortId(random.nextLong(computers), random.nextInt(Fleet.KEYS_PER_COMPUTER)) + "%");
                expectRows(select, 1);
            };
        });
    }

    private static void expectRows(PreparedStatement select, int atLeast) throws SQLException {
        int rows = 0;
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                rows++;
            }
        }
        if (rows < atLeast) {
            throw new IllegalStateException("the lookup found " + rows + " rows: is the fleet seeded?");
        }
    }

    /** A seal epoch row for the keys' foreign key (the raw rows are junk, never opened). */
    private UUID anyEpoch() throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection connection = installation.connect();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO seal_epoch (id, node_name, created_at,"
                        + " datakey_key_id, sealed_key) VALUES (?, 'raw-bench', ?, 0, ?)")) {
            insert.setObject(1, id);
            insert.setTimestamp(2, Timestamp.from(Instant.now()));
            insert.setBytes(3, new byte[32]);
            insert.executeUpdate();
        }
        return id;
    }

    interface Operation {
        void run() throws Exception;
    }

    interface OperationFactory {
        Operation on(Connection connection) throws Exception;
    }

    private Rate timed(String name, int threads, long perThread, boolean keepLatencies, OperationFactory factory)
            throws Exception {
        List<Thread> workers = new ArrayList<>();
        long[][] latencies = new long[threads][];
        Exception[] failure = new Exception[1];
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            workers.add(new Thread(() -> {
                try (Connection connection = installation.connect()) {
                    connection.setAutoCommit(false);
                    Operation operation = factory.on(connection);
                    long[] own = new long[(int) perThread];
                    for (int n = 0; n < perThread; n++) {
                        long began = System.nanoTime();
                        operation.run();
                        own[n] = System.nanoTime() - began;
                    }
                    connection.rollback(); // selects leave nothing open; writes were committed
                    latencies[thread] = own;
                } catch (Exception e) {
                    synchronized (failure) {
                        failure[0] = e;
                    }
                }
            }));
        }
        workers.forEach(Thread::start);
        for (Thread worker : workers) {
            worker.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failure[0] != null) {
            throw failure[0];
        }
        long[] all = null;
        if (keepLatencies) {
            all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        }
        return new Rate(name, threads, threads * perThread, seconds, all);
    }

    /** Writes escrow-shaped rows with explicit ids (no round trip for generated keys). */
    private final class Writer {
        private final PreparedStatement computer;
        private final PreparedStatement volume;
        private final PreparedStatement user;
        private final PreparedStatement key;
        private final PreparedStatement secret;
        private final PreparedStatement audit;
        private final UUID epoch;
        private final String lane = "raw-bench/" + UUID.randomUUID();
        private final SplittableRandom random = new SplittableRandom();
        private long seq;

        Writer(Connection connection, UUID epoch) throws SQLException {
            this.computer = connection.prepareStatement(INSERT_COMPUTER);
            this.volume = connection.prepareStatement(INSERT_VOLUME);
            this.user = connection.prepareStatement(INSERT_USER);
            this.key = connection.prepareStatement(INSERT_KEY);
            this.secret = connection.prepareStatement(INSERT_SECRET);
            this.audit = connection.prepareStatement(INSERT_AUDIT);
            this.epoch = epoch;
        }

        void add(int escrows) throws SQLException {
            for (int n = 0; n < escrows; n++) {
                long id = ids.incrementAndGet();
                Timestamp now = Timestamp.from(Instant.now());
                String name = "RAW-" + id;
                computer.setLong(1, id);
                computer.setString(2, name);
                computer.setString(3, "corp.example.com");
                computer.setTimestamp(4, now);
                computer.setTimestamp(5, now);
                computer.addBatch();
                volume.setLong(1, id);
                volume.setObject(2, UUID.randomUUID());
                volume.setLong(3, id);
                volume.setString(4, "OperatingSystem");
                volume.setString(5, name + " C: 11/23/2026");
                volume.setTimestamp(6, now);
                volume.setTimestamp(7, now);
                volume.addBatch();
                user.setLong(1, id);
                user.setString(2, "CORP\\alice");
                user.setTimestamp(3, now);
                user.addBatch();
                key.setLong(1, id);
                key.setString(2, UUID.randomUUID().toString().replace("-", "").toUpperCase());
                key.setLong(3, id);
                key.setTimestamp(4, now);
                key.setTimestamp(5, now);
                key.setBytes(6, bytes(32));
                key.addBatch();
                secret.setLong(1, id);
                secret.setObject(2, epoch);
                secret.setBytes(3, bytes(44));
                secret.addBatch();
                audit.setString(1, lane);
                audit.setLong(2, ++seq);
                audit.setTimestamp(3, now);
                audit.setString(4, "key " + id);
                audit.setBytes(5, bytes(32));
                audit.setBytes(6, bytes(32));
                audit.addBatch();
            }
        }

        void flush() throws SQLException {
            computer.executeBatch();
            volume.executeBatch();
            user.executeBatch();
            key.executeBatch();
            secret.executeBatch();
            audit.executeBatch();
        }

        private byte[] bytes(int n) {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) random.nextInt(256);
            }
            return b;
        }
    }
}
