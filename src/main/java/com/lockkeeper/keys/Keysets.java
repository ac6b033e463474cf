package com.lockkeeper.keys;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.HybridDecrypt;
import com.google.crypto.tink.HybridEncrypt;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.google.crypto.tink.hybrid.HpkeParameters;
import com.google.crypto.tink.hybrid.HybridConfig;
import com.google.crypto.tink.subtle.AesGcmJce;
import com.google.crypto.tink.util.SecretBytes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/** The only place that builds, parses and serialises Tink keysets. */
final class Keysets {

    /** HPKE X25519 / HKDF-SHA256 / AES-256-GCM; Tink output prefix so a ciphertext names its key version. */
    private static final HpkeParameters DATAKEY_PARAMETERS;

    static {
        try {
            AeadConfig.register();
            HybridConfig.register();
            com.google.crypto.tink.mac.MacConfig.register();
            DATAKEY_PARAMETERS = HpkeParameters.builder()
                    .setKemId(HpkeParameters.KemId.DHKEM_X25519_HKDF_SHA256)
                    .setKdfId(HpkeParameters.KdfId.HKDF_SHA256)
                    .setAeadId(HpkeParameters.AeadId.AES_256_GCM)
                    .setVariant(HpkeParameters.Variant.TINK)
                    .build();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Keysets() {
    }

    static byte[] ad(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static KeysetHandle newAeadKeyset() throws GeneralSecurityException {
        return KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
    }

    /** A node's audit key: HMAC-SHA256, a 256-bit key and tag, no prefix (the record names its key). */
    static KeysetHandle newAuditKeyset() throws GeneralSecurityException {
        return KeysetHandle.generateNew(com.google.crypto.tink.mac.HmacParameters.builder()
                .setKeySizeBytes(32)
                .setTagSizeBytes(32)
                .setHashType(com.google.crypto.tink.mac.HmacParameters.HashType.SHA256)
                .setVariant(com.google.crypto.tink.mac.HmacParameters.Variant.NO_PREFIX)
                .build());
    }

    static com.google.crypto.tink.Mac mac(KeysetHandle keyset) throws GeneralSecurityException {
        return keyset.getPrimitive(RegistryConfiguration.get(), com.google.crypto.tink.Mac.class);
    }

    /** A keyset's secret bytes, to seal to the datakey's public half; the caller seals them at once. */
    static byte[] cleartextBytes(KeysetHandle keyset) throws GeneralSecurityException {
        return TinkProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
    }

    static KeysetHandle parseCleartextBytes(byte[] bytes) throws GeneralSecurityException {
        return TinkProtoKeysetFormat.parseKeyset(bytes, InsecureSecretKeyAccess.get());
    }

    /** A bundle recipient's keypair: HPKE X25519 / HKDF-SHA256 / AES-256-GCM, no prefix (a bundle names its recipient). */
    static KeysetHandle newRecipientKeyset() throws GeneralSecurityException {
        return KeysetHandle.generateNew(HpkeParameters.builder()
                .setKemId(HpkeParameters.KemId.DHKEM_X25519_HKDF_SHA256)
                .setKdfId(HpkeParameters.KdfId.HKDF_SHA256)
                .setAeadId(HpkeParameters.AeadId.AES_256_GCM)
                .setVariant(HpkeParameters.Variant.NO_PREFIX)
                .build());
    }

    /** The raw X25519 public key of an HPKE keyset's primary, for its fingerprint. */
    static byte[] hpkePublicKeyBytes(KeysetHandle keyset) throws GeneralSecurityException {
        com.google.crypto.tink.Key key = keyset.getPrimary().getKey();
        if (key instanceof com.google.crypto.tink.hybrid.HpkePrivateKey hpke) {
            return hpke.getPublicKey().getPublicKeyBytes().toByteArray();
        }
        if (key instanceof com.google.crypto.tink.hybrid.HpkePublicKey hpke) {
            return hpke.getPublicKeyBytes().toByteArray();
        }
        throw new GeneralSecurityException("not an HPKE key");
    }

    static String cleartextPublicJson(KeysetHandle keyset, boolean isPrivate) throws GeneralSecurityException {
        return TinkJsonProtoKeysetFormat.serializeKeysetWithoutSecret(isPrivate ? keyset.getPublicKeysetHandle() : keyset);
    }

    static KeysetHandle parsePublicJson(String json) throws GeneralSecurityException {
        return TinkJsonProtoKeysetFormat.parseKeysetWithoutSecret(json);
    }

    static KeysetHandle newDatakeyKeyset() throws GeneralSecurityException {
        return KeysetHandle.generateNew(DATAKEY_PARAMETERS);
    }

    /** The keyset with one more key version, which becomes primary; the old ones stay for decryption. */
    static KeysetHandle withNewPrimary(KeysetHandle keyset) throws GeneralSecurityException {
        return KeysetHandle.newBuilder(keyset)
                .addEntry(KeysetHandle.generateEntryFromParameters(DATAKEY_PARAMETERS).withRandomId().makePrimary())
                .build();
    }

    static Aead aead(KeysetHandle keyset) throws GeneralSecurityException {
        return keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
    }

    static HybridEncrypt hybridEncrypt(KeysetHandle publicKeyset) throws GeneralSecurityException {
        return publicKeyset.getPrimitive(RegistryConfiguration.get(), HybridEncrypt.class);
    }

    static HybridDecrypt hybridDecrypt(KeysetHandle privateKeyset) throws GeneralSecurityException {
        return privateKeyset.getPrimitive(RegistryConfiguration.get(), HybridDecrypt.class);
    }

    static long primaryKeyId(KeysetHandle keyset) {
        return Integer.toUnsignedLong(keyset.getPrimary().getId());
    }

    static byte[] encrypt(KeysetHandle keyset, Aead wrappingKey, String associatedData) throws GeneralSecurityException {
        return TinkProtoKeysetFormat.serializeEncryptedKeyset(keyset, wrappingKey, ad(associatedData));
    }

    static KeysetHandle decrypt(byte[] encrypted, Aead wrappingKey, String associatedData) throws GeneralSecurityException {
        return TinkProtoKeysetFormat.parseEncryptedKeyset(encrypted, wrappingKey, ad(associatedData));
    }

    static byte[] publicBytes(KeysetHandle privateKeyset) throws GeneralSecurityException {
        return TinkProtoKeysetFormat.serializeKeysetWithoutSecret(privateKeyset.getPublicKeysetHandle());
    }

    static KeysetHandle parsePublic(byte[] bytes) throws GeneralSecurityException {
        return TinkProtoKeysetFormat.parseKeysetWithoutSecret(bytes);
    }

    /** For the node key file only: it is protected by file permissions, like SQL Server's SMK. */
    static String cleartextJson(KeysetHandle keyset) throws GeneralSecurityException {
        return TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get());
    }

    static KeysetHandle parseCleartextJson(String json) throws GeneralSecurityException {
        return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
    }

    /** An AES-256-GCM primitive over raw key bytes; the caller wipes its copy of the bytes. */
    static Aead aesGcm(byte[] key) {
        try {
            AesGcmParameters parameters = AesGcmParameters.builder()
                    .setKeySizeBytes(32)
                    .setIvSizeBytes(12)
                    .setTagSizeBytes(16)
                    .setVariant(AesGcmParameters.Variant.NO_PREFIX)
                    .build();
            AesGcmKey aesKey = AesGcmKey.builder()
                    .setParameters(parameters)
                    .setKeyBytes(SecretBytes.copyFrom(key, InsecureSecretKeyAccess.get()))
                    .build();
            return AesGcmJce.create(aesKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JVM", e);
        }
    }
}
