package com.lockkeeper.backup;

import com.lockkeeper.EmbeddedDatabase;
import com.lockkeeper.LockkeeperSettings;
import com.lockkeeper.support.IoProblems;
import com.lockkeeper.support.OwnerOnlyFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Takes an online backup of the embedded database: {@link StoreCopy} copies the database file as
 * of one quiet moment (escrows wait for the copy, lookups go on). It runs in the process that
 * holds the database (the server, when it runs), so it writes into the data directory (0700)
 * first; the result is then copied into a new 0600 file with the database's own password beside
 * it, which a restore needs to open the file.
 */
@Component
public class EmbeddedBackup {

    /** The entry that carries the embedded database's password (not a key: it guards the file against other local accounts). */
    static final String PASSWORD_ENTRY = "db-password";
    static final String DATABASE_ENTRY = "lockkeeper.mv.db";

    private final LockkeeperSettings settings;
    private final JdbcClient jdbc;

    EmbeddedBackup(LockkeeperSettings settings, JdbcClient jdbc) {
        this.settings = settings;
        this.jdbc = jdbc;
    }

    /** Writes the backup to {@code out}, a new file readable by its owner only; returns its size in bytes. */
    public long backupTo(Path out) {
        if (!settings.embedded()) {
            throw new IllegalStateException("not the embedded database");
        }
        Path staging = settings.dataDir().resolve("backup-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt())
                + ".zip");
        try {
            StoreCopy.copy(jdbc, staging);
            OwnerOnlyFiles.createNew(out, new byte[0]);
            try (FileChannel channel = FileChannel.open(out, StandardOpenOption.WRITE)) {
                try (ZipInputStream in = new ZipInputStream(new BufferedInputStream(Files.newInputStream(staging), 1 << 20));
                        ZipOutputStream zip = new ZipOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel),
                                1 << 20))) {
                    for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                        zip.putNextEntry(new ZipEntry(entry.getName()));
                        in.transferTo(zip);
                        zip.closeEntry();
                    }
                    zip.putNextEntry(new ZipEntry(PASSWORD_ENTRY));
                    zip.write((EmbeddedDatabase.readPassword(settings.dataDir()) + "\n").getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                    zip.finish();
                    zip.flush();
                    channel.force(true); // once, at the end: on disk before the command says it is written
                }
            }
            return Files.size(out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the backup " + out + ": " + IoProblems.describe(e), e);
        } finally {
            try {
                Files.deleteIfExists(staging);
            } catch (IOException ignored) {
                // in the 0700 data directory; the next backup uses another name
            }
        }
    }

    /** Whether {@code file} is a backup this command wrote: the database and its password. */
    static boolean isBackup(InputStream zipFile) throws IOException {
        boolean database = false;
        boolean password = false;
        try (ZipInputStream in = new ZipInputStream(zipFile)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                database |= entry.getName().equals(DATABASE_ENTRY);
                password |= entry.getName().equals(PASSWORD_ENTRY);
            }
        }
        return database && password;
    }
}
