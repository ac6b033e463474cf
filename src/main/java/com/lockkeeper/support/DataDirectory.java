package com.lockkeeper.support;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The node's data directory holds the embedded database, the node key and the first start's
 * secrets: it is its owner's alone (0700, every file in it 0600). A directory made before this
 * rule is tightened at start, its files too, with a line saying so; files created with a looser
 * umask in a 0700 directory (H2's own, at the first start) are tightened quietly.
 */
public final class DataDirectory {

    static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");

    private DataDirectory() {
    }

    /** Creates {@code dir} as 0700, or tightens an existing one (and its files) to 0700/0600. */
    public static void prepare(Path dir, PrintStream console) {
        try {
            if (!Files.exists(dir)) {
                Files.createDirectories(dir.toAbsolutePath().getParent());
                if (posix(dir.toAbsolutePath().getParent())) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY_MODE));
                } else {
                    Files.createDirectory(dir);
                }
                return;
            }
            tighten(dir, console);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the data directory " + dir + ": " + IoProblems.describe(e), e);
        }
    }

    /** Tightens the directory to 0700 and each file directly in it to 0600; says which it changed. */
    public static void tighten(Path dir, PrintStream console) {
        try {
            if (!posix(dir)) {
                return;
            }
            List<String> changed = new ArrayList<>();
            boolean directoryWasOpen = restrict(dir, DIRECTORY_MODE);
            if (directoryWasOpen) {
                changed.add(dir + " (now 0700)");
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    if (restrict(file, FILE_MODE)) {
                        changed.add(file.getFileName() + " (now 0600)");
                    }
                }
            }
            // Behind a 0700 directory no other user could reach the files (H2 creates its own with the
            // umask at the first start): they are tightened all the same, without a line claiming otherwise.
            if (directoryWasOpen) {
                console.println("Lockkeeper: other users could read the data directory; tightened " + String.join(", ", changed));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tighten the modes in " + dir + ": " + IoProblems.describe(e), e);
        }
    }

    private static boolean restrict(Path path, Set<PosixFilePermission> mode) throws IOException {
        Set<PosixFilePermission> current;
        try {
            current = Files.getPosixFilePermissions(path);
        } catch (java.nio.file.NoSuchFileException gone) {
            return false; // a lock or temporary file removed meanwhile
        }
        if (mode.containsAll(current)) {
            return false;
        }
        Set<PosixFilePermission> narrowed = java.util.EnumSet.noneOf(PosixFilePermission.class);
        narrowed.addAll(current);
        narrowed.retainAll(mode);
        Files.setPosixFilePermissions(path, narrowed);
        return true;
    }

    private static boolean posix(Path path) throws IOException {
        return Files.getFileStore(path).supportsFileAttributeView("posix");
    }
}
