package com.lockkeeper.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes key backups: a new file, readable by its owner only. */
final class Files0600 {

    private Files0600() {
    }

    static void write(Path file, byte[] content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (Files.getFileStore(parent).supportsFileAttributeView("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
            Files.write(file, content);
        } catch (FileAlreadyExistsException e) {
            throw new CliFailure(file + " exists already; choose another --out file (an export never overwrites one)");
        } catch (IOException e) {
            throw new CliFailure("cannot write " + file + ": " + e.getClass().getSimpleName());
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CliFailure("cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }
}
