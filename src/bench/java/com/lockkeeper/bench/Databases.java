package com.lockkeeper.bench;

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
            default -> throw new IllegalArgumentException("unknown database '" + kind + "': h2 or postgresql");
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
