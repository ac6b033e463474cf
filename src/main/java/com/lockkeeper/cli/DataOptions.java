package com.lockkeeper.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where this node's data lives and which database it uses: the same options for `serve` and
 * every admin command, each with an environment default so a service unit and an admin shell
 * on the same node agree without repeating them.
 */
public final class DataOptions {

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:LOCKKEEPER_DATA_DIR:-./lockkeeper-data}",
            description = "data directory: this node's key and the embedded database (default: $LOCKKEEPER_DATA_DIR or"
                    + " ./lockkeeper-data)")
    Path dataDir;

    @Option(names = "--node-name", paramLabel = "NAME", defaultValue = "${env:LOCKKEEPER_NODE_NAME}",
            description = "this node's name (default: $LOCKKEEPER_NODE_NAME or the host name)")
    String nodeName;

    @Option(names = "--db-url", paramLabel = "URL", defaultValue = "${env:LOCKKEEPER_DB_URL}",
            description = "JDBC URL of an external PostgreSQL database, e.g. jdbc:postgresql://db1:5432,db2:5432/lockkeeper"
                    + "?targetServerType=primary (default: $LOCKKEEPER_DB_URL, else the embedded H2 database in --data-dir)."
                    + " Never put the password in it: use --db-password-file")
    String dbUrl;

    @Option(names = "--db-user", paramLabel = "NAME", defaultValue = "${env:LOCKKEEPER_DB_USER}",
            description = "database user (default: $LOCKKEEPER_DB_USER)")
    String dbUser;

    @Option(names = "--db-password-file", paramLabel = "FILE", defaultValue = "${env:LOCKKEEPER_DB_PASSWORD_FILE}",
            description = "file whose first line is the database password (default: $LOCKKEEPER_DB_PASSWORD_FILE)")
    Path dbPasswordFile;

    boolean embedded() {
        return dbUrl == null || dbUrl.isBlank();
    }

    String[] springArguments() {
        List<String> args = new ArrayList<>();
        args.add("--lockkeeper.data-dir=" + dataDir.toAbsolutePath().normalize());
        if (nodeName != null && !nodeName.isBlank()) {
            args.add("--lockkeeper.node-name=" + nodeName);
        }
        if (!embedded()) {
            if (dbUrl.toLowerCase(java.util.Locale.ROOT).contains("password=")) {
                throw new CliFailure("--db-url must not carry the password (command lines and URLs end up in process lists"
                        + " and logs): put it in a file readable only by this user and pass --db-password-file FILE");
            }
            args.add("--lockkeeper.db.url=" + dbUrl);
        }
        if (dbUser != null && !dbUser.isBlank()) {
            args.add("--lockkeeper.db.user=" + dbUser);
        }
        if (dbPasswordFile != null && !dbPasswordFile.toString().isBlank()) {
            Path file = dbPasswordFile.toAbsolutePath().normalize();
            if (!Files.isReadable(file)) {
                throw new CliFailure("cannot read the database password file " + file);
            }
            args.add("--lockkeeper.db.password-file=" + file);
        }
        return args.toArray(String[]::new);
    }
}
