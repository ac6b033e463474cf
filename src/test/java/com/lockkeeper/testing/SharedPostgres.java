package com.lockkeeper.testing;

/**
 * One PostgreSQL server for every test class of a test run that wants "the same tests on
 * PostgreSQL"; each installation gets its own database on it ({@link #newDatabase()}). Started
 * on first use, stopped when the test JVM exits.
 */
public final class SharedPostgres {

    private static PostgresCluster cluster;

    private SharedPostgres() {
    }

    public static synchronized PostgresCluster cluster() {
        if (cluster == null) {
            cluster = PostgresCluster.primary("shared");
            PostgresCluster started = cluster;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "postgres-shutdown"));
        }
        return cluster;
    }

    /** Spring arguments for a Lockkeeper context on a new, empty database. */
    public static String[] newDatabaseArguments() {
        PostgresCluster c = cluster();
        return c.lockkeeperArguments(c.newDatabase());
    }
}
