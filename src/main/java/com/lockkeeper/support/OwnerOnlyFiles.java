package com.lockkeeper.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Secret files (node key, DMK password, key exports): created new, readable by their owner only. */
public final class OwnerOnlyFiles {

    private OwnerOnlyFiles() {
    }

    /**
     * Creates {@code file} with mode 0600 (where the file system has POSIX modes) and writes
     * {@code content} to disk.
     *
     * @throws java.nio.file.FileAlreadyExistsException if it exists: a secret file is never overwritten
     */
    public static void createNew(Path file, byte[] content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (Files.getFileStore(parent).supportsFileAttributeView("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.write(file, content, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.SYNC);
    }
}
