package com.lockkeeper.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Why a file could not be read or written, in words, from the failures the file system really gives. */
class IoProblemsTest {

    @TempDir
    Path work;

    @Test
    void saysWhatWentWrongInWords() throws IOException {
        Path existing = Files.writeString(work.resolve("existing"), "x");
        IOException missing = catchThrowableOfType(() -> Files.readAllBytes(work.resolve("missing")), IOException.class);
        IOException exists = catchThrowableOfType(() -> Files.createFile(existing), IOException.class);
        IOException directory = catchThrowableOfType(() -> Files.readAllBytes(work), IOException.class);
        IOException notDirectory = catchThrowableOfType(() -> Files.createFile(existing.resolve("child")), IOException.class);

        assertThat(IoProblems.describe(missing)).isEqualTo("no such file or directory");
        assertThat(IoProblems.describe(exists)).isEqualTo("the file exists already");
        assertThat(IoProblems.describe(directory)).isEqualTo("Is a directory");
        assertThat(IoProblems.describe(notDirectory)).isEqualTo("Not a directory");
        assertThat(IoProblems.describe(new java.io.EOFException())).isEqualTo("EOFException");
    }
}
