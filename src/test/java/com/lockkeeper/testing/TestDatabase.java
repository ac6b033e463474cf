package com.lockkeeper.testing;

/**
 * The databases Lockkeeper runs on, for tests that must pass on both: a test class annotated
 * {@code @ParameterizedClass @EnumSource(TestDatabase.class)} runs once per database.
 */
public enum TestDatabase {

    /** The embedded default: a fresh data directory is a fresh database. */
    H2 {
        @Override
        public String[] newInstallation() {
            return new String[0];
        }
    },

    /** A new, empty database on the test run's one PostgreSQL server ({@link SharedPostgres}). */
    POSTGRESQL {
        @Override
        public String[] newInstallation() {
            return SharedPostgres.newDatabaseArguments();
        }
    };

    /**
     * Spring arguments for a new, empty installation on this database, to pass to
     * {@link Installations#server} (every node of one installation gets the same ones) along
     * with a fresh data directory.
     */
    public abstract String[] newInstallation();
}
