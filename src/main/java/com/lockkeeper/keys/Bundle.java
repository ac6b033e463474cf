package com.lockkeeper.keys;

import com.google.crypto.tink.Aead;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A bundle of keys encrypted to a recipient's public key, for moving keys to another installation
 * (`lockkeeper export --to-public-key`, `lockkeeper import bundle`). A text file of JSON lines:
 * <ol>
 * <li>a header: format, bundle ID, recipient fingerprint, record count, creation time, source, and
 *     a fresh 256-bit bundle key sealed to the recipient with HPKE (X25519, HKDF-SHA256,
 *     AES-256-GCM), whose HPKE info is every other header field, so no header field can change;</li>
 * <li>one line per record, {@code {"record": i, "sealed": …}}: the record under the bundle key
 *     with AES-256-GCM, associated data {@code lockkeeper/bundle/v1/<bundle ID>/record/<i>/of/<count>};</li>
 * <li>an end line, {@code {"end": count, "sealed": …}}: SHA-256 of every line before it, under the
 *     bundle key with associated data {@code lockkeeper/bundle/v1/<bundle ID>/end/<count>}.</li>
 * </ol>
 * A record moved, repeated, altered or dropped, a cut file or a changed header does not open.
 * Nothing in the file is in clear but the header's fields.
 */
public final class Bundle {

    public static final String FORMAT = "lockkeeper-bundle/1";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int KEY_BYTES = 32;

    private Bundle() {
    }

    /** What a bundle's header says. */
    public record Header(UUID bundleId, String recipient, long count, Instant createdAt, String source) {

        /** The HPKE info the bundle key is sealed with: every header field. */
        byte[] context() {
            return Keysets.ad("lockkeeper/bundle/v1/" + bundleId + "/recipient/" + recipient + "/count/" + count
                    + "/created/" + createdAt + "/source/" + source);
        }

        byte[] recordContext(long index) {
            return Keysets.ad("lockkeeper/bundle/v1/" + bundleId + "/record/" + index + "/of/" + count);
        }

        byte[] endContext() {
            return Keysets.ad("lockkeeper/bundle/v1/" + bundleId + "/end/" + count);
        }
    }

    /** Writes a bundle of exactly {@code count} records to {@code out}. */
    public static final class BundleWriter {
        private final Writer out;
        private final Header header;
        private final Aead aead;
        private final MessageDigest digest;
        private long written;

        private BundleWriter(Writer out, Header header, Aead aead) {
            this.out = out;
            this.header = header;
            this.aead = aead;
            this.digest = sha256();
        }

        /** Seals and writes the next record. */
        public void add(byte[] record) {
            if (written == header.count()) {
                throw new IllegalStateException("the bundle holds " + header.count() + " records already");
            }
            written++;
            try {
                ObjectNode line = JSON.createObjectNode();
                line.put("record", written);
                line.put("sealed", Base64.getEncoder().encodeToString(aead.encrypt(record, header.recordContext(written))));
                line(line);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Writes the end record; the bundle is complete only then. */
        public Header finish() {
            if (written != header.count()) {
                throw new IllegalStateException("the bundle announced " + header.count() + " records but " + written + " were written");
            }
            try {
                ObjectNode line = JSON.createObjectNode();
                line.put("end", header.count());
                line.put("sealed", Base64.getEncoder().encodeToString(aead.encrypt(digest.digest(), header.endContext())));
                line(line);
                out.flush();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return header;
        }

        private void line(ObjectNode node) {
            String text = JSON.writeValueAsString(node);
            digest.update(text.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
            try {
                out.write(text);
                out.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Starts a bundle of {@code count} records to {@code recipient}: writes its header. */
    public static BundleWriter write(Writer out, RecipientKey recipient, long count, String source, Instant now,
            SecureRandom random) {
        Header header = new Header(UUID.randomUUID(), recipient.fingerprint(), count, now, source);
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        try {
            byte[] sealedKey = Keysets.hybridEncrypt(recipient.hasPrivate() ? recipient.keyset().getPublicKeysetHandle() : recipient.keyset()).encrypt(key, header.context());
            BundleWriter writer = new BundleWriter(out, header, Keysets.aesGcm(key));
            ObjectNode line = JSON.createObjectNode();
            line.put("format", FORMAT);
            line.put("bundle", header.bundleId().toString());
            line.put("recipient", header.recipient());
            line.put("count", header.count());
            line.put("createdAt", header.createdAt().toString());
            line.put("source", header.source());
            line.put("encryption", "HPKE DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM; records AES-256-GCM");
            line.put("sealedKey", Base64.getEncoder().encodeToString(sealedKey));
            writer.line(line);
            return writer;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** Receives each record of a bundle, opened, with its index (from 1). */
    public interface RecordHandler {
        void accept(long index, byte[] record);
    }

    /**
     * Opens every record of a bundle with the recipient's private key, in order, and checks the end
     * record; throws {@link KeyCeremonyException} at the first thing that does not open. The handler
     * sees records before the end is checked: keep what it collects until this returns.
     */
    public static Header read(BufferedReader in, RecipientKey privateKey, RecordHandler handler) {
        if (!privateKey.hasPrivate()) {
            throw new IllegalArgumentException("reading a bundle needs the private key");
        }
        MessageDigest digest = sha256();
        try {
            String first = in.readLine();
            if (first == null) {
                throw new KeyCeremonyException("the bundle is empty");
            }
            if (first.startsWith("\uFEFF")) {
                first = first.substring(1);
            }
            JsonNode head = json(first, "its header");
            if (!FORMAT.equals(head.path("format").asString(""))) {
                throw new KeyCeremonyException("this is not a Lockkeeper bundle (format '" + head.path("format").asString("")
                        + "'); make one with `lockkeeper export --to-public-key`");
            }
            Header header;
            try {
                header = new Header(UUID.fromString(head.required("bundle").asString()), head.required("recipient").asString(),
                        head.required("count").asLong(), Instant.parse(head.required("createdAt").asString()),
                        head.required("source").asString());
            } catch (RuntimeException e) {
                throw new KeyCeremonyException("the bundle's header is damaged (" + e.getClass().getSimpleName() + ")");
            }
            if (!header.recipient().equals(privateKey.fingerprint())) {
                throw new KeyCeremonyException("this bundle is encrypted to key " + header.recipient() + ", not to the private key"
                        + " given (" + privateKey.fingerprint() + "): give the private key of the keypair whose public key"
                        + " the bundle was exported to");
            }
            byte[] key;
            try {
                key = Keysets.hybridDecrypt(privateKey.keyset())
                        .decrypt(Base64.getDecoder().decode(head.required("sealedKey").asString()), header.context());
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new KeyCeremonyException("the bundle's header does not open with this private key: it was altered"
                        + " (its count, source, time or ID) or made for another key");
            }
            Aead aead = Keysets.aesGcm(key);
            Arrays.fill(key, (byte) 0);
            update(digest, first);
            for (long index = 1; index <= header.count(); index++) {
                String text = in.readLine();
                if (text == null) {
                    throw new KeyCeremonyException("the bundle is cut short: it ends after record " + (index - 1) + " of "
                            + header.count() + "; nothing was imported");
                }
                JsonNode line = json(text, "record " + index);
                if (line.path("record").asLong(-1) != index) {
                    throw new KeyCeremonyException("record " + index + " of the bundle is missing or out of place"
                            + " (line " + (index + 1) + "); nothing was imported");
                }
                byte[] record;
                try {
                    record = aead.decrypt(Base64.getDecoder().decode(line.required("sealed").asString()), header.recordContext(index));
                } catch (GeneralSecurityException | IllegalArgumentException e) {
                    throw new KeyCeremonyException("record " + index + " of the bundle does not open: it was altered or moved;"
                            + " nothing was imported");
                }
                update(digest, text);
                handler.accept(index, record);
            }
            String endText = in.readLine();
            if (endText == null) {
                throw new KeyCeremonyException("the bundle is cut short: its end record is missing; nothing was imported");
            }
            JsonNode end = json(endText, "its end record");
            byte[] expected = digest.digest();
            byte[] sealed;
            try {
                if (end.path("end").asLong(-1) != header.count()) {
                    throw new GeneralSecurityException("count");
                }
                sealed = aead.decrypt(Base64.getDecoder().decode(end.required("sealed").asString()), header.endContext());
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw new KeyCeremonyException("the bundle's end record does not open: the file was altered; nothing was imported");
            }
            if (!MessageDigest.isEqual(sealed, expected)) {
                throw new KeyCeremonyException("the bundle's lines are not the ones it was written with; nothing was imported");
            }
            for (String rest = in.readLine(); rest != null; rest = in.readLine()) {
                if (!rest.isBlank()) {
                    throw new KeyCeremonyException("the bundle has lines after its end record; nothing was imported");
                }
            }
            return header;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundle: " + e.getClass().getSimpleName(), e);
        }
    }

    private static JsonNode json(String text, String what) {
        try {
            return JSON.readTree(text);
        } catch (RuntimeException e) {
            throw new KeyCeremonyException("the bundle's " + what + " is not JSON: the file is damaged; nothing was imported");
        }
    }

    private static void update(MessageDigest digest, String line) {
        digest.update(line.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) '\n');
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
