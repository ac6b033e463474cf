package com.lockkeeper.keys;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.lockkeeper.support.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.Set;

/**
 * This node's own key: an AES-256-GCM keyset in a file readable only by the server's user.
 * It wraps this node's DMK registration and never enters the database.
 */
final class NodeKey {

    static final String FILE_NAME = "node.key";

    private final Aead aead;
    private final long keyId;

    private NodeKey(KeysetHandle keyset) throws GeneralSecurityException {
        this.aead = Keysets.aead(keyset);
        this.keyId = Keysets.primaryKeyId(keyset);
    }

    static Path file(Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    static Optional<NodeKey> load(Path dataDir) {
        Path file = file(dataDir);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            refuseIfOthersCanRead(file);
            return Optional.of(new NodeKey(Keysets.parseCleartextJson(Files.readString(file, StandardCharsets.UTF_8))));
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyCeremonyException("cannot read this node's key " + file + ": " + e.getClass().getSimpleName()
                    + "; restore it from backup, or run `lockkeeper node init --force` and register the node again");
        }
    }

    /** Creates the key file; refuses to replace an existing one. */
    static NodeKey create(Path dataDir) {
        Path file = file(dataDir);
        try {
            Files.createDirectories(dataDir);
            KeysetHandle keyset = Keysets.newAeadKeyset();
            OwnerOnlyFiles.createNew(file, Keysets.cleartextJson(keyset).getBytes(StandardCharsets.UTF_8));
            return new NodeKey(keyset);
        } catch (FileAlreadyExistsException e) {
            throw new KeyCeremonyException("this node already has a key at " + file);
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyCeremonyException("cannot create this node's key at " + file + ": " + e.getMessage());
        }
    }

    /** Replaces the key file (for `node init --force`); the old registration stops opening. */
    static NodeKey createReplacing(Path dataDir) {
        Path file = file(dataDir);
        Path fresh = dataDir.resolve(FILE_NAME + ".new");
        try {
            Files.deleteIfExists(fresh);
            KeysetHandle keyset = Keysets.newAeadKeyset();
            OwnerOnlyFiles.createNew(fresh, Keysets.cleartextJson(keyset).getBytes(StandardCharsets.UTF_8));
            Files.move(fresh, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return new NodeKey(keyset);
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyCeremonyException("cannot replace this node's key at " + file + ": " + e.getMessage());
        }
    }

    private static void refuseIfOthersCanRead(Path file) throws IOException {
        if (!Files.getFileStore(file).supportsFileAttributeView("posix")) {
            return;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
            throw new KeyCeremonyException("this node's key " + file + " is readable by other users; run `chmod 600 "
                    + file + "` and check who may have copied it");
        }
    }

    Aead aead() {
        return aead;
    }

    long keyId() {
        return keyId;
    }

    @Override
    public String toString() {
        return "NodeKey[id=" + keyId + "]";
    }
}
