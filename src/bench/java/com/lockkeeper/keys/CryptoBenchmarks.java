package com.lockkeeper.keys;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.HybridDecrypt;
import com.google.crypto.tink.HybridEncrypt;
import com.google.crypto.tink.KeysetHandle;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The crypto limit of one core: what escrow, reveal and the key ceremonies cost in CPU alone.
 * Uses the same primitives and parameters as the server (it lives in {@code keys} to reach them).
 * An escrow costs one record seal (AES-GCM under the live epoch key) — HPKE runs once per epoch —
 * and a reveal one record open, plus one HPKE open when its epoch key is not cached.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CryptoBenchmarks {

    private final SecureRandom random = new SecureRandom();
    private HybridEncrypt hpkeEncrypt;
    private HybridDecrypt hpkeDecrypt;
    private byte[] epochKey;
    private byte[] epochContext;
    private byte[] sealedEpochKey;
    private Aead epochAead;
    private RecordBinding binding;
    private byte[] recordAd;
    private byte[] recoveryKey;
    private byte[] sealedRecord;
    private Aead nodeAead;
    private byte[] wrappedDmk;
    private String dmkBinding;
    private String passwordText;
    private RecoveryPassword password;

    @Setup
    public void setUp() throws GeneralSecurityException {
        KeysetHandle datakey = Keysets.newDatakeyKeyset();
        hpkeDecrypt = Keysets.hybridDecrypt(datakey);
        hpkeEncrypt = Keysets.hybridEncrypt(Keysets.parsePublic(Keysets.publicBytes(datakey)));
        epochKey = new byte[32];
        random.nextBytes(epochKey);
        epochContext = Keysets.ad(Bindings.epoch(UUID.randomUUID()));
        sealedEpochKey = hpkeEncrypt.encrypt(epochKey, epochContext);
        epochAead = Keysets.aesGcm(epochKey);

        password = RecoveryPassword.generate(random);
        passwordText = password.reveal();
        recoveryKey = password.keyBytes();
        binding = RecordBinding.recoveryPassword(ProtectorId.parse(UUID.randomUUID().toString()), VolumeId.of(UUID.randomUUID()));
        recordAd = binding.associatedData(EpochSealer.FORMAT_VERSION);
        sealedRecord = epochAead.encrypt(recoveryKey, recordAd);

        KeysetHandle nodeKey = Keysets.newAeadKeyset();
        nodeAead = Keysets.aead(nodeKey);
        dmkBinding = Bindings.dmkUnderNode(1, "bench-node");
        wrappedDmk = Keysets.encrypt(Keysets.newAeadKeyset(), nodeAead, dmkBinding);
    }

    /** Sealing a fresh epoch key to the datakey's public half (once per epoch). */
    @Benchmark
    public byte[] hpkeSeal() throws GeneralSecurityException {
        return hpkeEncrypt.encrypt(epochKey, epochContext);
    }

    /** Opening an epoch key with the private half (once per epoch per node, then cached). */
    @Benchmark
    public byte[] hpkeOpen() throws GeneralSecurityException {
        return hpkeDecrypt.decrypt(sealedEpochKey, epochContext);
    }

    /** What every escrow pays: one AES-256-GCM seal of the 16 key bytes, bound to its row. */
    @Benchmark
    public byte[] recordSeal() throws GeneralSecurityException {
        return epochAead.encrypt(recoveryKey, recordAd);
    }

    /** What every reveal pays once the epoch key is open. */
    @Benchmark
    public byte[] recordOpen() throws GeneralSecurityException {
        return epochAead.decrypt(sealedRecord, recordAd);
    }

    /** Opening the DMK through a node registration (node start-up and key ceremonies). */
    @Benchmark
    public Aead dmkUnwrap() throws GeneralSecurityException {
        return Keysets.aead(Keysets.decrypt(wrappedDmk, nodeAead, dmkBinding));
    }

    @Benchmark
    public RecoveryPassword recoveryPasswordParse() {
        return RecoveryPassword.parse(passwordText);
    }

    @Benchmark
    public String recoveryPasswordFormat() {
        return password.reveal();
    }
}
