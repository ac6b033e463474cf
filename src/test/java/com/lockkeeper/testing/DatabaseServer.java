package com.lockkeeper.testing;

import com.lockkeeper.audit.Actor;
import com.lockkeeper.tokens.ApiTokens;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A Lockkeeper server (web included, on a free port) on a new installation on one
 * {@link TestDatabase}, as {@link ServerPerDatabase} hands it to a test class.
 */
public final class DatabaseServer {

    private final TestDatabase database;
    private final Path dataDir;
    private final ConfigurableApplicationContext context;

    private DatabaseServer(TestDatabase database, Path dataDir, ConfigurableApplicationContext context) {
        this.database = database;
        this.dataDir = dataDir;
        this.context = context;
    }

    /** A new installation on {@code database}: a fresh data directory and database, the first start included. */
    public static DatabaseServer start(TestDatabase database, String nodeName) {
        Path dataDir = DataDirectories.fresh();
        return new DatabaseServer(database, dataDir, Installations.webServer(dataDir, nodeName, database.newInstallation()));
    }

    public TestDatabase database() {
        return database;
    }

    public ConfigurableApplicationContext context() {
        return context;
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public JdbcClient jdbc() {
        return bean(JdbcClient.class);
    }

    public int port() {
        return Installations.port(context);
    }

    /** A client of this server's HTTP API. */
    public ApiClient api() {
        return new ApiClient(port());
    }

    /** A new device enrollment token (`lke_…`) with a unique name, as `lockkeeper token create` makes it. */
    public String newEnrollmentToken() {
        return bean(ApiTokens.class).createEnrollmentToken("test-" + UUID.randomUUID(), Actor.system("test")).secret();
    }

    /** Not {@code close()}: a parameterized class would close it after each run, and a shared one serves several. */
    void stop() {
        context.close();
        DataDirectories.delete(dataDir);
    }

    /** The database, which names each run of a parameterized class ("on H2"). */
    @Override
    public String toString() {
        return database.name();
    }
}
