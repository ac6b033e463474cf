package com.lockkeeper.audit;

import com.lockkeeper.audit.AuditVerification.Head;
import com.lockkeeper.support.IoProblems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lane heads kept outside the database, in the node's data directory ({@value #FILE_NAME},
 * 0600): the newest record of each lane that this node wrote or verified. Someone who can write
 * only to the database cannot move them back, so `audit verify` finds a lane cut short or
 * deleted, the server's and the admin commands' alike. One line per lane: lane, seq, hash (hex).
 */
public final class AuditAnchors {

    public static final String FILE_NAME = "audit-anchors";

    private final Path file;

    AuditAnchors(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    public Map<String, Head> read() {
        return read(file);
    }

    /** Anchors from any file in this format, such as one copied from another node or kept by a SIEM. */
    public static Map<String, Head> read(Path file) {
        if (!Files.exists(file)) {
            return Map.of();
        }
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit anchors in " + file + ": " + IoProblems.describe(e), e);
        }
    }

    /**
     * Adds these heads to the file, keeping for each lane the newest record known; returns the
     * lanes whose anchor moved. Several processes of one node (the server, admin commands) may
     * anchor at once: the file is locked meanwhile.
     */
    public synchronized List<String> anchor(Map<String, Head> heads) {
        if (heads.isEmpty() || !Files.isDirectory(file.getParent())) {
            return List.of();
        }
        try (FileChannel channel = open(); FileLock ignored = channel.lock()) {
            ByteBuffer content = ByteBuffer.allocate((int) channel.size());
            while (content.hasRemaining() && channel.read(content, content.position()) > 0) {
                // read it all
            }
            TreeMap<String, Head> anchored = new TreeMap<>(parse(new String(content.array(), StandardCharsets.UTF_8)));
            List<String> moved = new ArrayList<>();
            heads.forEach((lane, head) -> {
                Head known = anchored.get(lane);
                if (known == null || head.seq() > known.seq()) {
                    anchored.put(lane, head);
                    moved.add(lane);
                }
            });
            if (!moved.isEmpty()) {
                StringBuilder text = new StringBuilder();
                anchored.forEach((lane, head) -> text.append(lane).append('\t').append(head.seq()).append('\t')
                        .append(head.hashHex()).append('\n'));
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)), 0);
                channel.force(true);
            }
            return moved;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the audit anchors in " + file + ": " + IoProblems.describe(e), e);
        }
    }

    private FileChannel open() throws IOException {
        if (Files.getFileStore(file.getParent()).supportsFileAttributeView("posix")) {
            return FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** Malformed lines (a write cut by a crash) are skipped: the next anchoring rewrites the file. */
    static Map<String, Head> parse(String text) {
        TreeMap<String, Head> heads = new TreeMap<>();
        for (String line : text.split("\n")) {
            String[] fields = line.split("\t");
            if (fields.length != 3) {
                continue;
            }
            try {
                heads.put(fields[0], new Head(Long.parseLong(fields[1]), HexFormat.of().parseHex(fields[2])));
            } catch (IllegalArgumentException malformed) {
                // skipped
            }
        }
        return heads;
    }
}
