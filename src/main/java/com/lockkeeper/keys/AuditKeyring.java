package com.lockkeeper.keys;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.Mac;
import com.lockkeeper.audit.AuditKeys;
import com.lockkeeper.keys.KeyRepository.StoredAuditKey;
import com.lockkeeper.support.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * This node's audit key and the other nodes' ones. The key is an HMAC-SHA256 keyset in the data
 * directory ({@value #FILE_NAME}, 0600), beside the node key, made when the node first audits on
 * an installation that has its datakey; its copy in the database is sealed to the datakey's
 * public half (associated data: the key's id), registered in the transaction of the first record
 * keyed with it. Another node's key opens only on an open node.
 */
final class AuditKeyring implements AuditKeys {

    static final String FILE_NAME = "audit.key";

    private final Path dataDir;
    private final String nodeName;
    private final KeyRepository repository;
    private final Barrier barrier;
    private final Clock clock;
    private final Map<String, Signer> opened = new ConcurrentHashMap<>();
    private volatile Signer own;
    private Signer pending;

    AuditKeyring(Path dataDir, String nodeName, KeyRepository repository, Barrier barrier, Clock clock) {
        this.dataDir = dataDir;
        this.nodeName = nodeName;
        this.repository = repository;
        this.barrier = barrier;
        this.clock = clock;
    }

    @Override
    public Optional<AuditSigner> signer() {
        Signer signer = own;
        if (signer == null) {
            signer = ownSigner();
        }
        return Optional.ofNullable(signer);
    }

    /**
     * Runs in the caller's transaction, if any: the key's registration commits with the first
     * record keyed with it. Until that commits, other threads key their records with the same key
     * without registering it again; if it rolls back, the next record registers it. The server
     * calls this once at start, outside any transaction, so under load the key is already there.
     */
    private synchronized Signer ownSigner() {
        if (own != null) {
            return own;
        }
        if (pending != null) {
            return pending;
        }
        if (repository.datakeyPrimaryKeyId().isEmpty()) {
            return null; // an installation's very first records, before it has a datakey: plain hashes
        }
        try {
            KeysetHandle keyset = loadOrCreate();
            Signer signer = new Signer(keyIdOf(keyset), Keysets.mac(keyset));
            register(signer.keyId(), keyset);
            if (TransactionSynchronizationManager.isSynchronizationActive()) {
                pending = signer;
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCompletion(int status) {
                        synchronized (AuditKeyring.this) {
                            if (status == STATUS_COMMITTED) {
                                own = signer;
                            }
                            pending = null;
                        }
                    }
                });
            } else {
                own = signer;
            }
            return signer;
        } catch (GeneralSecurityException | IOException e) {
            throw new KeyCeremonyException("cannot read or create this node's audit key " + dataDir.resolve(FILE_NAME) + ": "
                    + e.getClass().getSimpleName() + "; move the file away to have a new one made");
        }
    }

    private KeysetHandle loadOrCreate() throws GeneralSecurityException, IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            KeysetHandle fresh = Keysets.newAuditKeyset();
            try {
                OwnerOnlyFiles.createNew(file, Keysets.cleartextJson(fresh).getBytes(StandardCharsets.UTF_8));
                return fresh;
            } catch (FileAlreadyExistsException anotherProcessOfThisNode) {
                // read theirs
            }
        }
        return Keysets.parseCleartextJson(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** The sealed copy, so open nodes can check this node's records; again if the database lost it. */
    private void register(String keyId, KeysetHandle keyset) {
        if (repository.auditKey(keyId).isPresent()) {
            return;
        }
        try {
            byte[] sealed = barrier.currentPublicHalf().encrypt().encrypt(Keysets.cleartextBytes(keyset),
                    Keysets.ad(Bindings.auditKey(keyId)));
            repository.insertAuditKey(new StoredAuditKey(keyId, nodeName, sealed, clock.instant()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sealing the audit key failed", e);
        }
    }

    @Override
    public Lookup lookup(String keyId) {
        Signer mine = own;
        if (mine != null && mine.keyId().equals(keyId)) {
            return new Lookup.Found(mine);
        }
        Signer known = opened.get(keyId);
        if (known != null) {
            return new Lookup.Found(known);
        }
        Optional<StoredAuditKey> stored = repository.auditKey(keyId);
        if (stored.isEmpty()) {
            return new Lookup.Unknown();
        }
        try {
            byte[] keysetBytes = openSealed(stored.get());
            Signer signer = new Signer(keyId, Keysets.mac(Keysets.parseCleartextBytes(keysetBytes)));
            java.util.Arrays.fill(keysetBytes, (byte) 0);
            opened.put(keyId, signer);
            return new Lookup.Found(signer);
        } catch (NodeSealedException e) {
            return new Lookup.Unopenable("node " + nodeName + " is sealed, so it cannot open other nodes' audit keys: "
                    + e.getMessage());
        } catch (GeneralSecurityException e) {
            return new Lookup.Unknown(); // a sealed copy that does not open as this key's is no copy of it
        }
    }

    @Override
    public Optional<Instant> keyedSince(String node) {
        return repository.firstAuditKeyOf(node);
    }

    private byte[] openSealed(StoredAuditKey stored) throws GeneralSecurityException {
        return barrier.openSealedToDatakey(stored.sealedKeyset(), Keysets.ad(Bindings.auditKey(stored.keyId())));
    }

    /** The node's name and the key's Tink id: unique per node, readable in a record. */
    private String keyIdOf(KeysetHandle keyset) {
        return nodeName + ":" + Keysets.primaryKeyId(keyset);
    }

    /** An audit key behind the audit package's interface; prints only its id. */
    private record Signer(String keyId, Mac mac) implements AuditSigner {

        @Override
        public byte[] sign(byte[] data) {
            try {
                return mac.computeMac(data);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HMAC failed", e);
            }
        }

        @Override
        public boolean verify(byte[] signature, byte[] data) {
            try {
                mac.verifyMac(signature, data);
                return true;
            } catch (GeneralSecurityException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return "AuditKey[" + keyId + "]";
        }
    }
}
