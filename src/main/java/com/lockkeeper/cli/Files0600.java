package com.lockkeeper.cli;

import com.lockkeeper.support.IoProblems;
import com.lockkeeper.support.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes key backups: a new file, readable by its owner only. */
final class Files0600 {

    private Files0600() {
    }

    /** Refuses early, before a key is exported (and the export audited), if {@code file} exists. */
    static void requireAbsent(Path file) {
        if (Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw exists(file);
        }
    }

    static void write(Path file, byte[] content) {
        try {
            OwnerOnlyFiles.createNew(file, content);
        } catch (FileAlreadyExistsException e) {
            throw exists(file);
        } catch (IOException e) {
            throw new CliFailure("cannot write " + file + ": " + IoProblems.describe(e));
        }
    }

    private static CliFailure exists(Path file) {
        return new CliFailure(file + " exists already; choose another --out file (an export never overwrites one)");
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new CliFailure("cannot read " + file + ": " + IoProblems.describe(e));
        }
    }
}
