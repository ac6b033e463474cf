package com.lockkeeper;

import com.lockkeeper.support.OwnerOnlyFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;

/**
 * The embedded H2 database's own protection. Admin commands reach a running server's database
 * through H2's automatic mixed mode (a TCP server the first process opens); that server listens
 * on loopback only, and the database has a generated password kept in the data directory
 * (0600), so neither the network nor another local account can open it.
 */
public final class EmbeddedDatabase {

    static final String PASSWORD_FILE = "db-password";
    private static final String WRONG_USER_OR_PASSWORD = "28000";

    private EmbeddedDatabase() {
    }

    /** H2 reads this once, when its classes load: the mixed-mode server binds to loopback unless an admin chose otherwise. */
    static void listenOnLoopbackOnly() {
        if (System.getProperty("h2.bindAddress") == null) {
            System.setProperty("h2.bindAddress", "127.0.0.1");
        }
    }

    /**
     * This installation's database password, created with the database. An installation from
     * before passwords (its database opens with an empty one) gets one now, and says so.
     */
    static String password(Path dataDir, String jdbcUrl, SecureRandom random, PrintStream console) {
        Path file = dataDir.resolve(PASSWORD_FILE);
        boolean databaseExists = Files.exists(dataDir.resolve("lockkeeper.mv.db"));
        String password = readOrCreate(file, random);
        if (databaseExists && !opensWith(jdbcUrl, password)) {
            if (!opensWith(jdbcUrl, "")) {
                throw new IllegalStateException("the embedded database in " + dataDir + " does not open with the password in "
                        + file + ": restore that file from the backup of this data directory");
            }
            setPassword(jdbcUrl, password);
            console.println("Lockkeeper: the embedded database now has a password, kept in " + file
                    + " (readable by this user only); admin commands read it from there");
        }
        return password;
    }

    /** The JDBC URL of the embedded database in {@code dataDir}, with the options every process opens it with. */
    public static String jdbcUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("lockkeeper") + LockkeeperSettings.H2_OPTIONS;
    }

    /** The password of the embedded database in {@code dataDir}, for a DBA's own JDBC connection (user: empty). */
    public static String readPassword(Path dataDir) {
        return firstLine(dataDir.resolve(PASSWORD_FILE));
    }

    /** The first line of a password file, stripped: the embedded database's, or PostgreSQL's (lockkeeper.db.password-file). */
    static String firstLine(Path file) {
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8);
            int end = content.indexOf('\n');
            return (end < 0 ? content : content.substring(0, end)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the database password file " + file + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private static String readOrCreate(Path file, SecureRandom random) {
        try {
            if (!Files.exists(file)) {
                byte[] bytes = new byte[32];
                random.nextBytes(bytes);
                String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                try {
                    OwnerOnlyFiles.createNew(file, (fresh + "\n").getBytes(StandardCharsets.UTF_8));
                    return fresh;
                } catch (FileAlreadyExistsException another) {
                    // another process of this installation made it first: use theirs
                }
            }
            return firstLine(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the database password file " + file + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    private static boolean opensWith(String jdbcUrl, String password) {
        try (Connection ignored = DriverManager.getConnection(jdbcUrl, "", password)) {
            return true;
        } catch (SQLException e) {
            if (WRONG_USER_OR_PASSWORD.equals(e.getSQLState())) {
                return false;
            }
            throw new IllegalStateException("cannot open the embedded database: " + e.getClass().getSimpleName()
                    + " (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    private static void setPassword(String jdbcUrl, String password) {
        // The generated password is base64url: no quote can end the literal early.
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "", "");
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER USER \"\" SET PASSWORD '" + password + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set the embedded database's password: SQLSTATE " + e.getSQLState(), e);
        }
    }
}
