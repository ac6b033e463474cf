package com.lockkeeper.keys;

import com.google.crypto.tink.KeysetHandle;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The keypair a bundle of keys is encrypted to (`lockkeeper keypair create`): HPKE with X25519,
 * HKDF-SHA256 and AES-256-GCM. The public file goes to whoever exports; the private file (0600)
 * stays with the installation that imports. Its fingerprint is SHA-256 of the raw X25519 public key.
 */
public final class RecipientKey {

    static final String PRIVATE_FORMAT = "lockkeeper-recipient-private-key/1";
    static final String PUBLIC_FORMAT = "lockkeeper-recipient-public-key/1";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final KeysetHandle keyset;
    private final boolean hasPrivate;
    private final String fingerprint;

    private RecipientKey(KeysetHandle keyset, boolean hasPrivate) throws GeneralSecurityException {
        this.keyset = keyset;
        this.hasPrivate = hasPrivate;
        this.fingerprint = fingerprintOf(Keysets.hpkePublicKeyBytes(keyset));
    }

    /** A new keypair. */
    public static RecipientKey generate() {
        try {
            return new RecipientKey(Keysets.newRecipientKeyset(), true);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HPKE key generation failed", e);
        }
    }

    /** Reads a public key file (a private key file holds the public key too). */
    public static RecipientKey readPublic(byte[] file) {
        JsonNode root = parse(file);
        String format = root.path("format").asString("");
        try {
            if (PRIVATE_FORMAT.equals(format)) {
                return readPrivate(file).publicOnly();
            }
            if (!PUBLIC_FORMAT.equals(format)) {
                throw new KeyCeremonyException("this is not a Lockkeeper recipient public key (format '" + format
                        + "'); make one with `lockkeeper keypair create`");
            }
            return checked(new RecipientKey(Keysets.parsePublicJson(root.required("keyset").asString()), false), root);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw e instanceof KeyCeremonyException k ? k : new KeyCeremonyException("the public key file is damaged");
        }
    }

    /** Reads a private key file. */
    public static RecipientKey readPrivate(byte[] file) {
        JsonNode root = parse(file);
        String format = root.path("format").asString("");
        if (!PRIVATE_FORMAT.equals(format)) {
            throw new KeyCeremonyException("this is not a Lockkeeper recipient private key (format '" + format
                    + "'): give the private key file `lockkeeper keypair create` wrote");
        }
        try {
            return checked(new RecipientKey(Keysets.parseCleartextJson(root.required("keyset").asString()), true), root);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw e instanceof KeyCeremonyException k ? k : new KeyCeremonyException("the private key file is damaged");
        }
    }

    private static RecipientKey checked(RecipientKey key, JsonNode root) {
        if (!key.fingerprint.equals(root.path("fingerprint").asString(""))) {
            throw new KeyCeremonyException("the key file's fingerprint does not match its key: the file was altered");
        }
        return key;
    }

    private RecipientKey publicOnly() throws GeneralSecurityException {
        return new RecipientKey(keyset.getPublicKeysetHandle(), false);
    }

    /** {@code SHA256:} and 64 lower-case hex digits. */
    public String fingerprint() {
        return fingerprint;
    }

    boolean hasPrivate() {
        return hasPrivate;
    }

    KeysetHandle keyset() {
        return keyset;
    }

    public byte[] publicFile() {
        try {
            return file(PUBLIC_FORMAT, Keysets.cleartextPublicJson(keyset, hasPrivate));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key file's content: the caller writes it to an owner-only file at once. */
    public byte[] privateFile() {
        if (!hasPrivate) {
            throw new IllegalStateException("a public key has no private file");
        }
        try {
            return file(PRIVATE_FORMAT, Keysets.cleartextJson(keyset));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] file(String format, String keysetJson) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", format);
        root.put("algorithm", "HPKE DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM");
        root.put("fingerprint", fingerprint);
        root.put("keyset", keysetJson);
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    static String fingerprintOf(byte[] publicKey) {
        try {
            return "SHA256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(publicKey));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(byte[] file) {
        try {
            return JSON.readTree(new String(file, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            throw new KeyCeremonyException("this is not a Lockkeeper key file (not JSON)");
        }
    }

    @Override
    public String toString() {
        return "RecipientKey[" + fingerprint + (hasPrivate ? ", with private key" : "") + "]";
    }
}
