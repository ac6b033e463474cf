package com.lockkeeper.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryTest {

    @TempDir
    Path work;

    @Test
    void filesInAnOwnerOnlyDirectoryAreTightenedWithoutClaimingOthersCouldReadThem() throws IOException {
        Path dir = work.resolve("data");
        DataDirectory.prepare(dir, new PrintStream(new ByteArrayOutputStream()));
        Path database = Files.writeString(dir.resolve("lockkeeper.mv.db"), "x");
        Files.setPosixFilePermissions(database, PosixFilePermissions.fromString("rw-r--r--"));
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        DataDirectory.tighten(dir, new PrintStream(output, true, StandardCharsets.UTF_8));

        assertThat(Files.getPosixFilePermissions(database)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(output.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void anOpenDirectoryIsTightenedWithALineNamingWhatChanged() throws IOException {
        Path dir = Files.createDirectory(work.resolve("old"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path database = Files.writeString(dir.resolve("lockkeeper.mv.db"), "x");
        Files.setPosixFilePermissions(database, PosixFilePermissions.fromString("rw-r--r--"));
        ByteArrayOutputStream output = new ByteArrayOutputStream();

        DataDirectory.tighten(dir, new PrintStream(output, true, StandardCharsets.UTF_8));

        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(database)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(output.toString(StandardCharsets.UTF_8))
                .contains("other users could read the data directory; tightened " + dir + " (now 0700), lockkeeper.mv.db (now 0600)");
    }
}
