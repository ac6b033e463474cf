package com.lockkeeper.bench;

import com.lockkeeper.testing.Commands;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Lockkeeper installation under test: the packaged jar, a data directory (the node key, and
 * the H2 file on the embedded default) and the database it points at.
 */
record Installation(Path jar, Path dataDir, String nodeName, String databaseName, String dbUrl, String dbUser,
        Path dbPasswordFile) {

    static final String NODE = "bench-node";

    static Installation embedded(Path jar, Path dataDir) {
        return new Installation(jar, dataDir, NODE, "H2", null, null, null);
    }

    static Installation postgresql(Path jar, Path dataDir, String url, String user, Path passwordFile) {
        return new Installation(jar, dataDir, NODE, "PostgreSQL", url, user, passwordFile);
    }

    boolean embedded() {
        return dbUrl == null;
    }

    /** The options every command takes to reach this installation. */
    List<String> arguments() {
        List<String> args = new ArrayList<>(List.of("--data-dir", dataDir.toString(), "--node-name", nodeName));
        if (!embedded()) {
            args.addAll(List.of("--db-url", dbUrl, "--db-user", dbUser, "--db-password-file", dbPasswordFile.toString()));
        }
        return args;
    }

    /** The same options as Spring properties, for an in-process context (the seeder). */
    String[] springArguments() {
        List<String> args = new ArrayList<>(List.of("--lockkeeper.data-dir=" + dataDir, "--lockkeeper.node-name=" + nodeName,
                "--lockkeeper.process=server", "--spring.main.banner-mode=off", "--logging.level.root=WARN"));
        if (!embedded()) {
            args.addAll(List.of("--lockkeeper.db.url=" + dbUrl, "--lockkeeper.db.user=" + dbUser,
                    "--lockkeeper.db.password-file=" + dbPasswordFile));
        }
        return args.toArray(String[]::new);
    }

    /** The first start (keys, schema, first admin), in-process, with nothing left running. */
    Installation bootstrapped() {
        new org.springframework.boot.builder.SpringApplicationBuilder(com.lockkeeper.LockkeeperApplication.class)
                .web(org.springframework.boot.WebApplicationType.NONE).registerShutdownHook(false)
                .run(springArguments()).close();
        return this;
    }

    /** A plain JDBC connection for the raw-database ceilings. */
    Connection connect() throws SQLException {
        if (embedded()) {
            return DriverManager.getConnection(com.lockkeeper.EmbeddedDatabase.jdbcUrl(dataDir), "",
                    com.lockkeeper.EmbeddedDatabase.readPassword(dataDir));
        }
        try {
            return DriverManager.getConnection(dbUrl, dbUser, java.nio.file.Files.readAllLines(dbPasswordFile).get(0).strip());
        } catch (IOException e) {
            throw new SQLException("cannot read " + dbPasswordFile, e);
        }
    }

    /** Runs an admin command of the packaged jar; answers its standard output, or fails with it. */
    String command(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Commands.java(),
                "-jar", jar.toString()));
        command.addAll(List.of(args));
        command.addAll(arguments());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("`lockkeeper " + String.join(" ", args) + "` failed:\n" + out);
        }
        return out;
    }
}
