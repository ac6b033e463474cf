package com.lockkeeper.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Copies of a real H2 file taken while other sessions commit: each opens, holds every transaction
 * acknowledged before the copy began, and no transaction in part (hash-chained rows in one table,
 * one row per link in another, written together).
 */
class StoreCopyTest {

    static final int WRITERS = 6;

    @TempDir
    Path work;

    @Test
    void copiesTakenWhileOthersCommitAreWholeAndHoldEverythingAcknowledgedBefore() throws Exception {
        // RETENTION_TIME=0: H2 reuses freed space at once, which keeps the file small and puts writes
        // all over it while it is copied (H2's own BACKUP TO failed this test about one run in three).
        String url = "jdbc:h2:" + work.resolve("live") + ";WRITE_DELAY=0;RETENTION_TIME=0;DB_CLOSE_DELAY=-1";
        try (Connection admin = DriverManager.getConnection(url, "sa", "")) {
            admin.createStatement().execute("CREATE TABLE link(lane INT, seq BIGINT, prev VARCHAR, body VARCHAR, hash VARCHAR,"
                    + " PRIMARY KEY (lane, seq))");
            admin.createStatement().execute("CREATE TABLE item(id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR UNIQUE,"
                    + " lane INT, seq BIGINT)");
            Map<Integer, Long> acknowledged = new ConcurrentHashMap<>();
            AtomicBoolean running = new AtomicBoolean(true);
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> writers = new ArrayList<>();
            for (int lane = 0; lane < WRITERS; lane++) {
                int mine = lane;
                writers.add(pool.submit(() -> write(url, mine, running, acknowledged)));
            }
            try {
                JdbcClient jdbc = JdbcClient.create(new SingleConnectionDataSource(admin, true));
                for (int round = 0; round < 4; round++) {
                    Thread.sleep(300);
                    Map<Integer, Long> before = Map.copyOf(acknowledged);
                    Path zip = work.resolve("copy-" + round + ".zip");
                    StoreCopy.copy(jdbc, zip);
                    assertThat(Files.getPosixFilePermissions(zip)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
                    Map<Integer, Long> heads = checkCopy(zip, work.resolve("restored-" + round));
                    before.forEach((lane, seq) -> assertThat(heads.getOrDefault(lane, 0L))
                            .as("lane %d: acknowledged before the copy", lane).isGreaterThanOrEqualTo(seq));
                }
                Map<Integer, Long> afterCopies = Map.copyOf(acknowledged);
                Thread.sleep(300);
                assertThat(acknowledged).as("the writers go on after the copies")
                        .allSatisfy((lane, seq) -> assertThat(seq).isGreaterThan(afterCopies.getOrDefault(lane, 0L)));
            } finally {
                running.set(false);
                pool.shutdown();
                assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            }
            for (Future<?> writer : writers) {
                writer.get(); // a writer's failure fails the test
            }
        }
    }

    @Test
    void aCopyThatCannotBeWrittenFailsAndLeavesTheDatabaseOpenToOthers() throws Exception {
        String url = "jdbc:h2:" + work.resolve("live") + ";WRITE_DELAY=0;DB_CLOSE_DELAY=-1";
        try (Connection admin = DriverManager.getConnection(url, "sa", "");
                Connection other = DriverManager.getConnection(url, "sa", "")) {
            admin.createStatement().execute("CREATE TABLE t(id INT PRIMARY KEY, body VARCHAR)");
            admin.createStatement().execute("INSERT INTO t SELECT x, RAWTOHEX(SECURE_RAND(250)) FROM SYSTEM_RANGE(1, 2000)");
            OutputStream diskFull = new OutputStream() {
                long written;

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    written += len;
                    if (written > 16 * 1024) {
                        throw new IOException("No space left on device");
                    }
                }
            };
            SessionLocal session = (SessionLocal) admin.unwrap(JdbcConnection.class).getSession();
            assertThatThrownBy(() -> StoreCopy.copy(session, diskFull)).isInstanceOf(IOException.class)
                    .hasMessageContaining("No space left");

            other.createStatement().execute("INSERT INTO t VALUES (2001, 'after the failed copy')");
            try (ResultSet rs = admin.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(2001);
            }
            assertThat(session.getDatabase().isInExclusiveMode()).isFalse();
        }
    }

    /** Writes chained links in transactions of 1 to 20; records the last acknowledged link of its lane. */
    static Void write(String url, int lane, AtomicBoolean running, Map<Integer, Long> acknowledged) throws Exception {
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            c.setAutoCommit(false);
            PreparedStatement link = c.prepareStatement("INSERT INTO link(lane, seq, prev, body, hash) VALUES (?, ?, ?, ?, ?)");
            PreparedStatement item = c.prepareStatement("INSERT INTO item(name, lane, seq) VALUES (?, ?, ?)");
            Random random = new Random(lane);
            String prev = "";
            long seq = 0;
            while (running.get()) {
                int links = 1 + random.nextInt(20);
                for (int i = 0; i < links; i++) {
                    seq++;
                    String body = "lane " + lane + " link " + seq + " " + "x".repeat(random.nextInt(400));
                    String hash = sha256(prev + body);
                    link.setInt(1, lane);
                    link.setLong(2, seq);
                    link.setString(3, prev);
                    link.setString(4, body);
                    link.setString(5, hash);
                    link.executeUpdate();
                    item.setString(1, lane + "-" + seq + "-" + random.nextLong());
                    item.setInt(2, lane);
                    item.setLong(3, seq);
                    item.executeUpdate();
                    prev = hash;
                }
                c.commit();
                acknowledged.put(lane, seq);
                Thread.sleep(1);
            }
        }
        return null;
    }

    /** Opens the copy on its own and checks every chain; answers each lane's last link. */
    static Map<Integer, Long> checkCopy(Path zip, Path dir) throws Exception {
        Files.createDirectories(dir);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry entry = in.getNextEntry();
            assertThat(entry.getName()).isEqualTo("live.mv.db");
            Files.copy(in, dir.resolve("copy.mv.db"));
            assertThat(in.getNextEntry()).isNull();
        }
        Map<Integer, Long> heads = new HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:h2:" + dir.resolve("copy"), "sa", "")) {
            Map<Integer, String> hashes = new HashMap<>();
            try (ResultSet rs = c.createStatement().executeQuery("SELECT lane, seq, prev, body, hash FROM link ORDER BY lane, seq")) {
                while (rs.next()) {
                    int lane = rs.getInt(1);
                    long seq = rs.getLong(2);
                    assertThat(seq).as("lane %d follows on", lane).isEqualTo(heads.getOrDefault(lane, 0L) + 1);
                    assertThat(rs.getString(3)).as("lane %d link %d links", lane, seq).isEqualTo(hashes.getOrDefault(lane, ""));
                    assertThat(sha256(rs.getString(3) + rs.getString(4))).as("lane %d link %d content", lane, seq)
                            .isEqualTo(rs.getString(5));
                    heads.put(lane, seq);
                    hashes.put(lane, rs.getString(5));
                }
            }
            try (ResultSet rs = c.createStatement().executeQuery("SELECT (SELECT COUNT(*) FROM item),"
                    + " (SELECT COUNT(*) FROM link), (SELECT COUNT(*) FROM item i JOIN link l ON l.lane = i.lane AND l.seq = i.seq)")) {
                rs.next();
                assertThat(rs.getLong(1)).as("items, links, items with their link").isEqualTo(rs.getLong(2)).isEqualTo(rs.getLong(3));
            }
        }
        return heads;
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
