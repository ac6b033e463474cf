package com.lockkeeper.bench;

import com.lockkeeper.testing.PostgresCluster;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fresh database of each kind for one benchmark run. */
final class Databases {

    interface Provisioned extends AutoCloseable {
        /** The installation the server runs on. */
        Installation installation();

        /** Another, empty installation on the same kind of database, for the raw ceilings' junk rows. */
        Installation scratch();

        @Override
        void close();
    }

    private Databases() {
    }

    static Provisioned provision(String kind, Path jar, Path dir) throws Exception {
        deleteTree(dir);
        Files.createDirectories(dir);
        Path dataDir = dir.resolve("data").toAbsolutePath();
        return switch (kind) {
            case "h2" -> new Provisioned() {
                public Installation installation() {
                    return Installation.embedded(jar, dataDir);
                }

                public Installation scratch() {
                    return Installation.embedded(jar, dir.resolve("scratch").toAbsolutePath());
                }

                public void close() {
                }
            };
            case "postgresql" -> postgresql(jar, dir, dataDir);
            default -> throw new IllegalArgumentException("unknown database '" + kind + "': h2 or postgresql");
        };
    }

    /**
     * A PostgreSQL server of its own (the zonky binaries the tests use, run as an unprivileged
     * user), with one database for the installation and one for the raw ceilings' scratch rows.
     */
    private static Provisioned postgresql(Path jar, Path dir, Path dataDir) {
        PostgresCluster cluster = PostgresCluster.primary("bench");
        Installation installation = Installation.postgresql(jar, dataDir, cluster.newDatabase(), PostgresCluster.USER,
                cluster.passwordFile());
        Installation scratch = Installation.postgresql(jar, dir.resolve("scratch").toAbsolutePath(), cluster.newDatabase(),
                PostgresCluster.USER, cluster.passwordFile());
        return new Provisioned() {
            public Installation installation() {
                return installation;
            }

            public Installation scratch() {
                return scratch;
            }

            public void close() {
                cluster.close();
            }
        };
    }

    static void deleteTree(Path top) throws java.io.IOException {
        if (!Files.exists(top)) {
            return;
        }
        try (var paths = Files.walk(top)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
