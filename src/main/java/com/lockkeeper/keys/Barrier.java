package com.lockkeeper.keys;

import com.lockkeeper.support.Password;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.HybridDecrypt;
import com.google.crypto.tink.HybridEncrypt;
import com.google.crypto.tink.KeysetHandle;
import com.lockkeeper.keys.KeyRepository.StoredDatakey;
import com.lockkeeper.keys.KeyRepository.StoredDmk;
import com.lockkeeper.keys.KeyRepository.StoredRegistration;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;

/**
 * This node's barrier, as Vault's: sealed or open. It holds the node key, the datakey's public
 * half it seals with (any node), and, once this node's DMK registration opens, the private half
 * it opens records with (an open node). Ceremonies change the database; {@link #forget()} makes
 * the barrier read it again.
 */
public final class Barrier {

    /** The public half as loaded: enough to seal epoch keys on any node. */
    record PublicHalf(long primaryKeyId, HybridEncrypt encrypt) {
    }

    /** What an open node holds in memory: the private half, never the DMK. */
    record Opened(int dmkVersion, HybridDecrypt decrypt) {
    }

    /** The DMK itself, held only for the duration of a ceremony. */
    record OpenDmk(StoredDmk stored, Aead aead, KeysetHandle keyset) {
    }

    private final Path dataDir;
    private final String nodeName;
    private final KeyRepository repository;
    private volatile NodeKey nodeKey;
    private volatile PublicHalf publicHalf;
    private volatile Opened opened;
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    Barrier(Path dataDir, String nodeName, KeyRepository repository) {
        this.dataDir = dataDir;
        this.nodeName = nodeName;
        this.repository = repository;
        this.nodeKey = NodeKey.load(dataDir).orElse(null);
    }

    public String nodeName() {
        return nodeName;
    }

    public Path dataDir() {
        return dataDir;
    }

    public boolean hasNodeKey() {
        return nodeKey != null;
    }

    /** The hierarchy exists in this database (a first start has run). */
    public boolean initialised() {
        return repository.dmk().isPresent();
    }

    /** Open or sealed, and if sealed, why and what to run. Never throws for a sealed node. */
    public NodeState state() {
        try {
            opened();
            return NodeState.open(nodeName);
        } catch (NodeSealedException e) {
            return NodeState.sealed(nodeName, e.getMessage());
        }
    }

    /** Drops everything cached from the database, after a ceremony here or elsewhere. */
    public void forget() {
        publicHalf = null;
        opened = null;
        generation.incrementAndGet();
    }

    /**
     * Reads this node's DMK registration again; if it was removed or replaced since the barrier
     * opened (`dmk unregister`, `dmk rotate`, `node init --force`, on any node), the barrier closes
     * now, and with it every key opened through it. Called before each reveal.
     */
    public void confirmRegistration() {
        Opened current = opened;
        if (current == null) {
            return; // not open: the next use opens it from the database, or says why it cannot
        }
        NodeKey key = nodeKey;
        boolean unchanged = key != null && repository.registration(nodeName)
                .filter(registration -> registration.dmkVersion() == current.dmkVersion())
                .filter(registration -> registration.nodeKeyId() == key.keyId())
                .isPresent();
        if (!unchanged) {
            forget();
        }
    }

    /** Changes whenever the barrier forgets: what was opened through an older generation must be dropped. */
    long generation() {
        return generation.get();
    }

    synchronized NodeKey createNodeKeyIfMissing() {
        if (nodeKey == null) {
            nodeKey = NodeKey.create(dataDir);
        }
        return nodeKey;
    }

    synchronized NodeKey replaceNodeKey() {
        NodeKey fresh = NodeKey.createReplacing(dataDir);
        nodeKey = fresh;
        forget();
        return fresh;
    }

    NodeKey nodeKey() {
        NodeKey key = nodeKey;
        if (key == null) {
            throw new NodeSealedException("node " + nodeName + " has no node key in " + dataDir
                    + ": run `lockkeeper node init`, then `lockkeeper dmk register` on this node");
        }
        return key;
    }

    PublicHalf publicHalf() {
        PublicHalf half = publicHalf;
        if (half == null) {
            half = loadPublicHalf();
        }
        return half;
    }

    /** The public half, read again if another node or a command rotated the keyset. */
    PublicHalf currentPublicHalf() {
        PublicHalf half = publicHalf;
        long primary = repository.datakeyPrimaryKeyId().orElseThrow(Barrier::notInitialised);
        return half != null && half.primaryKeyId() == primary ? half : loadPublicHalf();
    }

    private synchronized PublicHalf loadPublicHalf() {
        StoredDatakey datakey = repository.datakey().orElseThrow(Barrier::notInitialised);
        try {
            KeysetHandle publicKeyset = Keysets.parsePublic(datakey.publicKeyset());
            publicHalf = new PublicHalf(Keysets.primaryKeyId(publicKeyset), Keysets.hybridEncrypt(publicKeyset));
            return publicHalf;
        } catch (GeneralSecurityException e) {
            throw new KeyCeremonyException("the datakey's public half in the database is damaged: "
                    + "run `lockkeeper datakey import` with an export");
        }
    }

    /**
     * Opens something sealed to the datakey's public half (an epoch key, an audit key). If the first
     * try fails, the keyset may have gained a version since this node opened it (a datakey rotate
     * elsewhere): the barrier reads it again and tries once more.
     *
     * @throws NodeSealedException when this node cannot open the datakey
     * @throws GeneralSecurityException when it does not open with any version of the keyset
     */
    byte[] openSealedToDatakey(byte[] sealed, byte[] context) throws GeneralSecurityException {
        try {
            return opened().decrypt().decrypt(sealed, context);
        } catch (GeneralSecurityException firstTry) {
            forget();
            return opened().decrypt().decrypt(sealed, context);
        }
    }

    Opened opened() {
        Opened current = opened;
        if (current == null) {
            current = open();
        }
        return current;
    }

    private synchronized Opened open() {
        OpenDmk dmk = openDmk();
        StoredDatakey datakey = repository.datakey().orElseThrow(() -> new NodeSealedException(
                "the datakey is missing from the database: run `lockkeeper datakey import FILE` with a datakey export"));
        if (!datakey.privateHalfPresent()) {
            throw new NodeSealedException("the datakey's private half is missing from the database: "
                    + "run `lockkeeper datakey import FILE` with a datakey export");
        }
        try {
            KeysetHandle privateKeyset = openPrivateHalf(datakey, dmk);
            opened = new Opened(dmk.stored().version(), Keysets.hybridDecrypt(privateKeyset));
            return opened;
        } catch (GeneralSecurityException e) {
            throw new NodeSealedException("the datakey does not open with the current DMK (version "
                    + dmk.stored().version() + "): run `lockkeeper datakey import FILE` with a datakey export");
        }
    }

    KeysetHandle openPrivateHalf(StoredDatakey datakey, OpenDmk dmk) throws GeneralSecurityException {
        if (datakey.dmkVersion() == null || datakey.dmkVersion() != dmk.stored().version()) {
            throw new GeneralSecurityException("datakey is wrapped under another DMK version");
        }
        return Keysets.decrypt(datakey.privateKeyset(), dmk.aead(), Bindings.datakeyUnderDmk(dmk.stored().version()));
    }

    /** Opens the DMK through this node's registration. */
    OpenDmk openDmk() {
        StoredDmk dmk = repository.dmk().orElseThrow(Barrier::notInitialised);
        NodeKey key = nodeKey();
        StoredRegistration registration = repository.registration(nodeName).orElseThrow(() -> new NodeSealedException(
                "node " + nodeName + " is sealed: it has no DMK registration. Run `lockkeeper dmk register` on this node"
                        + " with the DMK password"));
        if (registration.dmkVersion() != dmk.version()) {
            throw new NodeSealedException("node " + nodeName + " is sealed: its DMK registration is for DMK version "
                    + registration.dmkVersion() + " but the DMK was rotated to version " + dmk.version()
                    + ". Run `lockkeeper dmk register` on this node with the new DMK password");
        }
        if (registration.nodeKeyId() != key.keyId()) {
            throw new NodeSealedException("node " + nodeName + " is sealed: its DMK registration was made with another node"
                    + " key. Run `lockkeeper dmk register` on this node with the DMK password");
        }
        try {
            KeysetHandle keyset = Keysets.decrypt(registration.wrappedKeyset(), key.aead(),
                    Bindings.dmkUnderNode(dmk.version(), nodeName));
            return new OpenDmk(dmk, Keysets.aead(keyset), keyset);
        } catch (GeneralSecurityException e) {
            throw new NodeSealedException("node " + nodeName + " is sealed: its DMK registration does not open with this"
                    + " node's key. Run `lockkeeper dmk register` on this node with the DMK password");
        }
    }

    /** Opens the DMK with its password, as `dmk register` and a first start do. */
    OpenDmk openDmkWithPassword(Password password) {
        StoredDmk dmk = repository.dmk().orElseThrow(Barrier::notInitialised);
        Aead passwordKey = PasswordKeys.derive(password, dmk.salt(), dmk.params());
        try {
            KeysetHandle keyset = Keysets.decrypt(dmk.wrappedKeyset(), passwordKey, Bindings.dmkUnderPassword(dmk.version()));
            return new OpenDmk(dmk, Keysets.aead(keyset), keyset);
        } catch (GeneralSecurityException e) {
            throw new KeyCeremonyException("the DMK password is wrong: it does not open DMK version " + dmk.version());
        }
    }

    Optional<StoredDmk> storedDmk() {
        return repository.dmk();
    }

    static KeyCeremonyException notInitialised() {
        return new KeyCeremonyException("this database has no Lockkeeper key hierarchy yet: start the server once"
                + " (`lockkeeper serve`) to bootstrap it");
    }
}
