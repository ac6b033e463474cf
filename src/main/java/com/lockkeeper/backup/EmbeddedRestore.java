package com.lockkeeper.backup;

import com.lockkeeper.support.DataDirectory;
import com.lockkeeper.support.IoProblems;
import com.lockkeeper.support.OwnerOnlyFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Restores a backup into a new data directory (0700, its files 0600). It refuses a directory
 * that holds anything: a restore never mixes with, or overwrites, another node's data. The
 * directory gets no node key: the first start there (or `dmk register`) makes a new one.
 */
public final class EmbeddedRestore {

    private static final Set<String> ENTRIES = Set.of(EmbeddedBackup.DATABASE_ENTRY, EmbeddedBackup.PASSWORD_ENTRY);

    private EmbeddedRestore() {
    }

    /** Why {@code backup} cannot be restored to {@code dataDir}, or null if it can. */
    public static String refusal(Path backup, Path dataDir) {
        if (!Files.isRegularFile(backup)) {
            return "no backup file at " + backup;
        }
        try (InputStream in = Files.newInputStream(backup)) {
            if (!EmbeddedBackup.isBackup(in)) {
                return backup + " is not a backup made by `lockkeeper backup` (it lacks the database or its password)";
            }
        } catch (IOException e) {
            return "cannot read " + backup + " as a backup: " + IoProblems.describe(e);
        }
        if (Files.exists(dataDir)) {
            if (!Files.isDirectory(dataDir)) {
                return dataDir + " is a file; restore into a new, empty data directory";
            }
            try (Stream<Path> files = Files.list(dataDir)) {
                if (files.findAny().isPresent()) {
                    return dataDir + " is not empty; restore into a new, empty data directory (a restore never overwrites a node's data)";
                }
            } catch (IOException e) {
                return "cannot list " + dataDir + ": " + IoProblems.describe(e);
            }
        }
        return null;
    }

    /** Writes the backup's database and its password into {@code dataDir}; call {@link #refusal} first. */
    public static void restore(Path backup, Path dataDir, PrintStream console) {
        String refusal = refusal(backup, dataDir);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        DataDirectory.prepare(dataDir, console);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(backup))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (ENTRIES.contains(entry.getName())) {
                    Path file = dataDir.resolve(entry.getName());
                    OwnerOnlyFiles.createNew(file, new byte[0]);
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        BufferedOutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20);
                        in.transferTo(out);
                        out.flush();
                        channel.force(true); // once, at the end: on disk before the command says it is restored
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restore " + backup + " into " + dataDir + ": " + IoProblems.describe(e), e);
        }
    }
}
