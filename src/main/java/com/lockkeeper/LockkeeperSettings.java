package com.lockkeeper;

import com.lockkeeper.support.KdfParams;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything an admin can configure under {@code lockkeeper.*}; the command line sets these
 * from its options, so the server and every admin command read the same data directory and
 * database.
 */
@ConfigurationProperties("lockkeeper")
public record LockkeeperSettings(
        @DefaultValue("./lockkeeper-data") Path dataDir,
        String nodeName,
        @DefaultValue("server") String process,
        Database db,
        @DefaultValue KdfSettings kdfCost,
        @DefaultValue Epoch epoch,
        @DefaultValue("8") int serverAuditLanes) {

    /**
     * QUERY_CACHE_SIZE: an escrow runs about a dozen distinct statements and H2 keeps the parsed
     * form of only 8 per connection by default, so each escrow re-parsed most of its SQL (a quarter
     * of the server's CPU per escrow in a JFR profile); 64 keeps every statement we run parsed.
     * CACHE_SIZE (KiB): H2's page cache is 16 MiB by default; at a million computers the indexes the
     * lookups walk (computer name, protector ID) alone are larger, so 64 MiB keeps their upper levels
     * in memory, well inside the 512 MiB heap target.
     * WRITE_DELAY=0: by default H2 writes committed transactions to its file up to 500 ms later, so
     * a killed process lost escrows and reveal audit records it had already acknowledged. With 0
     * every commit is written to the file before it returns (one write per group commit of
     * escrows); the operating system then holds it, so it survives a killed process. Surviving
     * power loss needs the file synced too, which H2 does not do per commit: use PostgreSQL.
     * With 0, H2 runs no background writer and so never compacts the file by itself (only for
     * 200 ms when it closes): an import compacts what it wrote ({@link EmbeddedStoreHousekeeping}).
     */
    static final String H2_OPTIONS = ";AUTO_SERVER=TRUE;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;QUERY_CACHE_SIZE=64;CACHE_SIZE=65536;WRITE_DELAY=0";

    /**
     * Where the database is; by default the embedded H2 file in the data directory. The password
     * comes only from a file: never from the URL, a command line or a property.
     * {@code connectionTimeout} bounds how long a request waits for a connection, so that while
     * the database fails over clients get a quick retryable 503 instead of a hung request.
     */
    public record Database(String url, String user, Path passwordFile, @DefaultValue("3s") Duration connectionTimeout) {

        public Database {
            if (url != null && url.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
                throw new IllegalArgumentException("lockkeeper.db.url must not carry the password: put it in a file"
                        + " (lockkeeper.db.password-file, --db-password-file) readable only by this user");
            }
            if (connectionTimeout == null) {
                connectionTimeout = Duration.ofSeconds(3);
            }
        }

        public boolean postgresql() {
            return url != null && url.startsWith("jdbc:postgresql:");
        }
    }

    public record KdfSettings(@DefaultValue("65536") int memoryKib, @DefaultValue("3") int iterations,
            @DefaultValue("1") int parallelism) {
    }

    /** A seal epoch ends after {@code maxAge} or {@code maxRows} sealed rows, whichever comes first. */
    public record Epoch(@DefaultValue("60s") Duration maxAge, @DefaultValue("10000") int maxRows) {
    }

    public LockkeeperSettings {
        dataDir = dataDir.toAbsolutePath().normalize();
        if (nodeName == null || nodeName.isBlank()) {
            nodeName = hostName();
        }
        if (db == null) {
            db = new Database(null, null, null, null);
        }
    }

    public KdfParams kdf() {
        return new KdfParams(kdfCost.memoryKib(), kdfCost.iterations(), kdfCost.parallelism());
    }

    public boolean embedded() {
        return db.url() == null || db.url().isBlank();
    }

    public String jdbcUrl() {
        return embedded() ? EmbeddedDatabase.jdbcUrl(dataDir) : db.url();
    }

    public boolean server() {
        return "server".equals(process);
    }

    /** Audit lanes are per writing process: the server's are stable, each admin command gets its own. */
    public String auditLaneName() {
        return nodeName + "/" + process;
    }

    public int auditLanes() {
        return server() ? serverAuditLanes : 1;
    }

    static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
