package com.lockkeeper.bench;

import com.lockkeeper.backup.StoreCopy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

/**
 * How long commits wait while `lockkeeper backup` copies the embedded database: builds an H2 file
 * of incompressible rows (sealed data does not compress), then times {@link StoreCopy#copyTo}, the
 * part that holds H2's store lock.
 *
 * <pre>java -cp "target/test-classes:target/classes:$(cat target/bench/classpath.txt)" \
 *     com.lockkeeper.bench.BackupCopyBench 8      (8 × 200,000 rows of 300 random bytes)</pre>
 */
final class BackupCopyBench {

    private BackupCopyBench() {
    }

    public static void main(String[] args) throws Exception {
        int slices = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        Path dir = Files.createTempDirectory("backup-copy");
        try (Connection c = DriverManager.getConnection("jdbc:h2:" + dir.resolve("db") + ";WRITE_DELAY=0;CACHE_SIZE=65536",
                "sa", "")) {
            c.createStatement().execute("CREATE TABLE t(id BIGINT PRIMARY KEY, protector UUID UNIQUE, sealed VARBINARY(400))");
            for (int slice = 0; slice < slices; slice++) {
                c.createStatement().execute("INSERT INTO t SELECT x + " + slice * 200_000L
                        + ", RANDOM_UUID(), SECURE_RAND(300) FROM SYSTEM_RANGE(1, 200000)");
            }
            long size = Files.size(dir.resolve("db.mv.db"));
            Path copy = dir.resolve("copy.zip");
            long started = System.nanoTime();
            StoreCopy.copyTo(c, copy.toString());
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("database file %,d MB copied in %.2f s = %,.0f MB/s (copy %,d MB)%n", size >> 20, seconds,
                    (size >> 20) / seconds, Files.size(copy) >> 20);
        } finally {
            Databases.deleteTree(dir);
        }
    }
}
