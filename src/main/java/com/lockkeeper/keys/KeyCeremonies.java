package com.lockkeeper.keys;

import com.lockkeeper.support.Password;
import com.lockkeeper.support.KdfParams;
import com.google.crypto.tink.Aead;
import com.google.crypto.tink.HybridEncrypt;
import com.google.crypto.tink.KeysetHandle;
import com.lockkeeper.audit.Actor;
import com.lockkeeper.audit.AuditAction;
import com.lockkeeper.audit.AuditEntry;
import com.lockkeeper.audit.AuditLog;
import com.lockkeeper.keys.KeyRepository.StoredDatakey;
import com.lockkeeper.keys.KeyRepository.StoredDmk;
import com.lockkeeper.keys.KeyRepository.StoredEpoch;
import com.lockkeeper.keys.KeyRepository.StoredRegistration;
import com.lockkeeper.keys.Barrier.OpenDmk;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The admin procedures of the key hierarchy: the SQL Server ceremonies of Configuration Manager's encrypted recovery data, as methods.
 * Each one runs in a transaction and leaves an audit record.
 */
public final class KeyCeremonies {

    private static final int RESEAL_BATCH = 200;

    private final Barrier barrier;
    private final KeyRepository repository;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final SecureRandom random;
    private final KdfParams kdfParams;

    KeyCeremonies(Barrier barrier, KeyRepository repository, AuditLog audit, TransactionTemplate transactions, Clock clock,
            SecureRandom random, KdfParams kdfParams) {
        this.barrier = barrier;
        this.repository = repository;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.random = random;
        this.kdfParams = kdfParams;
    }

    /** A first start: DMK under {@code dmkPassword}, a fresh datakey, and this node registered. */
    public void bootstrap(Password dmkPassword, Actor actor) {
        transactions.executeWithoutResult(tx -> {
            if (repository.dmk().isPresent()) {
                throw new KeyCeremonyException("this database already has a DMK");
            }
            NodeKey nodeKey = barrier.createNodeKeyIfMissing();
            try {
                KeysetHandle dmkKeyset = Keysets.newAeadKeyset();
                StoredDmk dmk = wrapUnderPassword(1, dmkKeyset, dmkPassword);
                repository.saveDmk(dmk);
                register(nodeKey, dmkKeyset, 1);
                KeysetHandle datakey = Keysets.newDatakeyKeyset();
                saveDatakey(datakey, Keysets.aead(dmkKeyset), 1);
                audit.record(AuditEntry.success(actor, AuditAction.KEYS_BOOTSTRAP, "node " + barrier.nodeName(),
                        "created DMK version 1, datakey " + Keysets.primaryKeyId(datakey)
                                + ", registered node " + barrier.nodeName()));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("key generation failed", e);
            }
        });
        barrier.forget();
    }

    /** `node init`: creates this node's key; with {@code replace}, a new one (the old registration stops opening). */
    public boolean initNode(boolean replace, Actor actor) {
        boolean created;
        if (barrier.hasNodeKey() && !replace) {
            created = false;
        } else {
            if (barrier.hasNodeKey()) {
                barrier.replaceNodeKey();
            } else {
                barrier.createNodeKeyIfMissing();
            }
            created = true;
        }
        if (created) {
            audit.record(AuditEntry.success(actor, AuditAction.NODE_INIT, "node " + barrier.nodeName(),
                    replace ? "replaced the node key" : "created the node key"));
        }
        return created;
    }

    /** `dmk register`: opens the DMK with its password and wraps it under this node's key. */
    public void registerNode(Password dmkPassword, Actor actor) {
        OpenDmk dmk;
        try {
            dmk = barrier.openDmkWithPassword(dmkPassword);
        } catch (KeyCeremonyException e) {
            audit.record(AuditEntry.refused(actor, AuditAction.DMK_REGISTER, "node " + barrier.nodeName(), "wrong DMK password"));
            throw e;
        }
        NodeKey nodeKey = barrier.createNodeKeyIfMissing();
        transactions.executeWithoutResult(tx -> {
            try {
                register(nodeKey, dmk.keyset(), dmk.stored().version());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            audit.record(AuditEntry.success(actor, AuditAction.DMK_REGISTER, "node " + barrier.nodeName(),
                    "registered DMK version " + dmk.stored().version()));
        });
        barrier.forget();
    }

    /** `dmk unregister`: this node forgets the DMK; it stays sealed until registered again. */
    public boolean unregisterNode(Actor actor) {
        boolean removed = Boolean.TRUE.equals(transactions.execute(tx -> {
            boolean deleted = repository.deleteRegistration(barrier.nodeName());
            if (deleted) {
                audit.record(AuditEntry.success(actor, AuditAction.DMK_UNREGISTER, "node " + barrier.nodeName(), "registration removed"));
            }
            return deleted;
        }));
        barrier.forget();
        return removed;
    }

    /** `dmk export`: the DMK, encrypted under a key derived from {@code exportPassword}. */
    public byte[] exportDmk(Password exportPassword, Actor actor) {
        OpenDmk dmk = barrier.openDmk();
        byte[] file = export(dmk.keyset(), exportPassword, ExportFile.DMK_FORMAT, Bindings.DMK_EXPORT, null,
                "DMK version " + dmk.stored().version());
        audit.record(AuditEntry.success(actor, AuditAction.DMK_EXPORT, "DMK version " + dmk.stored().version(), "exported"));
        return file;
    }

    /**
     * `dmk rotate`: a new DMK under a new password; the private half re-wrapped under it, in one
     * transaction. The old password opens nothing afterwards. Other nodes must register again.
     *
     * @return the nodes whose registration was removed
     */
    public List<String> rotateDmk(Password newPassword, Actor actor) {
        OpenDmk old = barrier.openDmk();
        StoredDatakey datakey = repository.datakey().orElseThrow(Barrier::notInitialised);
        if (!datakey.privateHalfPresent()) {
            throw new KeyCeremonyException("the datakey's private half is missing: rotate with"
                    + " `lockkeeper dmk rotate --recreate --datakey-file FILE` to restore it from an export");
        }
        KeysetHandle privateKeyset;
        try {
            privateKeyset = barrier.openPrivateHalf(datakey, old);
        } catch (GeneralSecurityException e) {
            throw new KeyCeremonyException("the datakey does not open with the current DMK; rotate with"
                    + " `lockkeeper dmk rotate --recreate --datakey-file FILE`");
        }
        return replaceDmk(newPassword, privateKeyset, old.stored().version(), actor, AuditAction.DMK_ROTATE);
    }

    /**
     * `dmk rotate --recreate`: SQL Server's DROP MASTER KEY / CREATE MASTER KEY / CREATE CERTIFICATE
     * FROM FILE, for when no node can open the DMK. The datakey comes from an export,
     * which must hold every key version the database's epochs were sealed with.
     */
    public List<String> recreateDmk(Password newPassword, byte[] datakeyExport, Password exportPassword, Actor actor) {
        StoredDmk current = repository.dmk().orElseThrow(Barrier::notInitialised);
        KeysetHandle privateKeyset = openDatakeyExport(datakeyExport, exportPassword);
        requireCovers(privateKeyset);
        requireMatchesPublicHalf(privateKeyset);
        return replaceDmk(newPassword, privateKeyset, current.version(), actor, AuditAction.DMK_RECREATE);
    }

    private List<String> replaceDmk(Password newPassword, KeysetHandle privateKeyset, int oldVersion, Actor actor, AuditAction action) {
        int version = oldVersion + 1;
        NodeKey nodeKey = barrier.createNodeKeyIfMissing();
        List<String> dropped = transactions.execute(tx -> {
            try {
                List<String> others = new ArrayList<>();
                for (StoredRegistration r : repository.registrations()) {
                    if (!r.nodeName().equals(barrier.nodeName())) {
                        others.add(r.nodeName());
                    }
                }
                KeysetHandle dmkKeyset = Keysets.newAeadKeyset();
                repository.saveDmk(wrapUnderPassword(version, dmkKeyset, newPassword));
                repository.retireRegistrationsExcept(barrier.nodeName());
                register(nodeKey, dmkKeyset, version);
                saveDatakey(privateKeyset, Keysets.aead(dmkKeyset), version);
                audit.record(AuditEntry.success(actor, action, "DMK version " + version,
                        "replaced DMK version " + oldVersion + "; registered " + barrier.nodeName()
                                + (others.isEmpty() ? "" : "; must register again: " + String.join(", ", others))));
                return others;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
        barrier.forget();
        return dropped;
    }

    /** `datakey export`: the datakey (all versions), encrypted under the export password. */
    public byte[] exportDatakey(Password exportPassword, Actor actor) {
        KeysetHandle privateKeyset = openPrivateKeyset();
        byte[] file;
        try {
            file = export(privateKeyset, exportPassword, ExportFile.DATAKEY_FORMAT, Bindings.DATAKEY_EXPORT,
                    Keysets.publicBytes(privateKeyset), "datakey, primary key " + Keysets.primaryKeyId(privateKeyset)
                            + ", " + privateKeyset.size() + " version(s)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        audit.record(AuditEntry.success(actor, AuditAction.DATAKEY_EXPORT, "datakey " + Keysets.primaryKeyId(privateKeyset),
                privateKeyset.size() + " key version(s) exported"));
        return file;
    }

    /**
     * `datakey import`: restores the private half from an export, under the current DMK (which
     * this node must be able to open). Refuses a keyset that lacks a version in use.
     */
    public void importDatakey(byte[] datakeyExport, Password exportPassword, Actor actor) {
        OpenDmk dmk = barrier.openDmk();
        KeysetHandle imported = openDatakeyExport(datakeyExport, exportPassword);
        requireCovers(imported);
        requireMatchesPublicHalf(imported);
        transactions.executeWithoutResult(tx -> {
            try {
                saveDatakey(imported, dmk.aead(), dmk.stored().version());
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            audit.record(AuditEntry.success(actor, AuditAction.DATAKEY_IMPORT, "datakey " + Keysets.primaryKeyId(imported),
                    imported.size() + " key version(s) imported under DMK version " + dmk.stored().version()));
        });
        barrier.forget();
    }

    /**
     * `datakey rotate`: a new primary key version, then every epoch key re-sealed under it.
     * Old versions stay in the keyset, so every row stays readable throughout.
     *
     * @param progress told the number of epochs re-sealed so far
     * @return the number of epochs re-sealed
     */
    public long rotateDatakey(Actor actor, LongConsumer progress) {
        OpenDmk dmk = barrier.openDmk();
        KeysetHandle rotated;
        try {
            rotated = Keysets.withNewPrimary(openPrivateKeyset());
            KeysetHandle keyset = rotated;
            transactions.executeWithoutResult(tx -> {
                try {
                    saveDatakey(keyset, dmk.aead(), dmk.stored().version());
                } catch (GeneralSecurityException e) {
                    throw new IllegalStateException(e);
                }
                audit.record(AuditEntry.success(actor, AuditAction.DATAKEY_ROTATE, "datakey " + Keysets.primaryKeyId(keyset),
                        "new primary key version; " + keyset.size() + " version(s) in the keyset"));
            });
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        barrier.forget();
        long resealed = resealEpochs(rotated, progress);
        audit.record(AuditEntry.success(actor, AuditAction.DATAKEY_RESEAL, "datakey " + Keysets.primaryKeyId(rotated),
                resealed + " epoch key(s) re-sealed under the new primary"));
        return resealed;
    }

    /** Re-seals every epoch key not yet under the primary version; safe to run again after an interruption. */
    long resealEpochs(KeysetHandle privateKeyset, LongConsumer progress) {
        try {
            long primary = Keysets.primaryKeyId(privateKeyset);
            HybridEncrypt encrypt = Keysets.hybridEncrypt(privateKeyset.getPublicKeysetHandle());
            var decrypt = Keysets.hybridDecrypt(privateKeyset);
            long done = 0;
            while (true) {
                List<StoredEpoch> batch = repository.epochsNotSealedUnder(primary, RESEAL_BATCH);
                if (batch.isEmpty()) {
                    return done;
                }
                Instant now = clock.instant();
                List<byte[]> resealed = new ArrayList<>(batch.size());
                for (StoredEpoch epoch : batch) {
                    byte[] context = Keysets.ad(Bindings.epoch(epoch.id()));
                    byte[] key = decrypt.decrypt(epoch.sealedKey(), context);
                    resealed.add(encrypt.encrypt(key, context));
                    java.util.Arrays.fill(key, (byte) 0);
                }
                transactions.executeWithoutResult(tx -> {
                    for (int i = 0; i < batch.size(); i++) {
                        StoredEpoch epoch = batch.get(i);
                        repository.reseal(epoch.id(), epoch.datakeyKeyId(), primary, resealed.get(i), now);
                    }
                });
                done += batch.size();
                progress.accept(done);
            }
        } catch (GeneralSecurityException e) {
            throw new KeyCeremonyException("an epoch key does not open with the datakey; run"
                    + " `lockkeeper verify` and `lockkeeper datakey import` with an export that has every key version");
        }
    }

    /**
     * Opens records for an export to a public key: with {@code dmkPassword}, whatever this node's
     * state; without (null), through this node's DMK registration. A wrong password is audited.
     */
    public RecordOpener openForExport(Password dmkPassword, Actor actor) {
        OpenDmk dmk;
        if (dmkPassword == null) {
            dmk = barrier.openDmk();
        } else {
            try {
                dmk = barrier.openDmkWithPassword(dmkPassword);
            } catch (KeyCeremonyException e) {
                audit.record(AuditEntry.refused(actor, AuditAction.BUNDLE_EXPORT, "node " + barrier.nodeName(), "wrong DMK password"));
                throw e;
            }
        }
        StoredDatakey datakey = repository.datakey().orElseThrow(Barrier::notInitialised);
        if (!datakey.privateHalfPresent()) {
            throw new NodeSealedException("the datakey's private half is missing: run"
                    + " `lockkeeper datakey import FILE` with a datakey export");
        }
        try {
            return new CeremonyOpener(repository, Keysets.hybridDecrypt(barrier.openPrivateHalf(datakey, dmk)));
        } catch (GeneralSecurityException e) {
            throw new NodeSealedException("the datakey does not open with the current DMK: run"
                    + " `lockkeeper datakey import FILE` with a datakey export");
        }
    }

    /** For `status`: the hierarchy as stored, without opening anything. */
    public HierarchyStatus status() {
        StoredDmk dmk = repository.dmk().orElse(null);
        StoredDatakey datakey = repository.datakey().orElse(null);
        List<HierarchyStatus.Registration> registrations = new ArrayList<>();
        for (StoredRegistration r : repository.registrations()) {
            registrations.add(new HierarchyStatus.Registration(r.nodeName(), r.dmkVersion(), r.registeredAt(),
                    dmk != null && r.dmkVersion() == dmk.version()));
        }
        return new HierarchyStatus(barrier.state(), dmk == null ? null : dmk.version(), dmk == null ? null : dmk.createdAt(),
                datakey == null ? null : datakey.primaryKeyId(), datakey != null && datakey.privateHalfPresent(),
                repository.epochCount(), registrations);
    }

    private KeysetHandle openPrivateKeyset() {
        OpenDmk dmk = barrier.openDmk();
        StoredDatakey datakey = repository.datakey().orElseThrow(Barrier::notInitialised);
        if (!datakey.privateHalfPresent()) {
            throw new NodeSealedException("the datakey's private half is missing: run"
                    + " `lockkeeper datakey import FILE` with a datakey export");
        }
        try {
            return barrier.openPrivateHalf(datakey, dmk);
        } catch (GeneralSecurityException e) {
            throw new NodeSealedException("the datakey does not open with the current DMK: run"
                    + " `lockkeeper datakey import FILE` with a datakey export");
        }
    }

    private KeysetHandle openDatakeyExport(byte[] fileBytes, Password exportPassword) {
        ExportFile file = ExportFile.parse(fileBytes, ExportFile.DATAKEY_FORMAT);
        Aead key = PasswordKeys.derive(exportPassword, file.salt(), file.params());
        try {
            return Keysets.decrypt(file.encryptedKeyset(), key, Bindings.DATAKEY_EXPORT);
        } catch (GeneralSecurityException e) {
            throw new KeyCeremonyException("the export password is wrong, or the export file was altered");
        }
    }

    /** Refuses a keyset that would leave epochs (and so rows) unreadable. */
    private void requireCovers(KeysetHandle keyset) {
        Set<Long> present = new TreeSet<>();
        for (int i = 0; i < keyset.size(); i++) {
            present.add(Integer.toUnsignedLong(keyset.getAt(i).getId()));
        }
        Set<Long> missing = new TreeSet<>(repository.epochKeyVersionsInUse());
        missing.removeAll(present);
        if (!missing.isEmpty()) {
            throw new KeyCeremonyException("the export lacks key version(s) " + missing + " that seal stored keys;"
                    + " importing it would make them unreadable. Use a newer export");
        }
    }

    /** The public half devices' escrows are sealed with must stay the one the database holds. */
    private void requireMatchesPublicHalf(KeysetHandle keyset) {
        repository.datakey().ifPresent(stored -> {
            if (stored.primaryKeyId() != Keysets.primaryKeyId(keyset)) {
                throw new KeyCeremonyException("the export's primary key version " + Keysets.primaryKeyId(keyset)
                        + " is not the database's (" + stored.primaryKeyId() + "): use the export taken after the last"
                        + " `datakey rotate`");
            }
        });
    }

    private byte[] export(KeysetHandle keyset, Password password, String format, String binding, byte[] publicKeyset, String note) {
        byte[] salt = PasswordKeys.newSalt(random);
        Aead key = PasswordKeys.derive(password, salt, kdfParams);
        try {
            return new ExportFile(format, kdfParams, salt, Keysets.encrypt(keyset, key, binding), publicKeyset, note).toJson();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private StoredDmk wrapUnderPassword(int version, KeysetHandle dmkKeyset, Password password) throws GeneralSecurityException {
        byte[] salt = PasswordKeys.newSalt(random);
        Aead key = PasswordKeys.derive(password, salt, kdfParams);
        return new StoredDmk(version, salt, kdfParams, Keysets.encrypt(dmkKeyset, key, Bindings.dmkUnderPassword(version)),
                clock.instant());
    }

    private void register(NodeKey nodeKey, KeysetHandle dmkKeyset, int version) throws GeneralSecurityException {
        byte[] wrapped = Keysets.encrypt(dmkKeyset, nodeKey.aead(), Bindings.dmkUnderNode(version, barrier.nodeName()));
        repository.saveRegistration(new StoredRegistration(barrier.nodeName(), version, nodeKey.keyId(), wrapped, clock.instant()));
    }

    private void saveDatakey(KeysetHandle privateKeyset, Aead dmk, int dmkVersion) throws GeneralSecurityException {
        repository.saveDatakey(new StoredDatakey(Keysets.publicBytes(privateKeyset), Keysets.primaryKeyId(privateKeyset),
                Keysets.encrypt(privateKeyset, dmk, Bindings.datakeyUnderDmk(dmkVersion)), dmkVersion, clock.instant()));
    }
}
