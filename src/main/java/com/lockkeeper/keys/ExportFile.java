package com.lockkeeper.keys;

import com.lockkeeper.support.KdfParams;
import java.util.Base64;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A key backup file (`dmk export`, `datakey export`): the keyset encrypted under a key
 * derived from the export password with Argon2id, with the parameters needed to open it.
 */
record ExportFile(String format, KdfParams params, byte[] salt, byte[] encryptedKeyset, byte[] publicKeyset, String note) {

    static final String DMK_FORMAT = "lockkeeper-dmk-export/1";
    static final String DATAKEY_FORMAT = "lockkeeper-datakey-export/1";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", format);
        root.put("note", note);
        ObjectNode kdf = root.putObject("kdf");
        kdf.put("algorithm", "argon2id");
        kdf.put("memoryKib", params.memoryKib());
        kdf.put("iterations", params.iterations());
        kdf.put("parallelism", params.parallelism());
        kdf.put("salt", Base64.getEncoder().encodeToString(salt));
        root.put("encryptedKeyset", Base64.getEncoder().encodeToString(encryptedKeyset));
        if (publicKeyset != null) {
            root.put("publicKeyset", Base64.getEncoder().encodeToString(publicKeyset));
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root);
    }

    static ExportFile parse(byte[] json, String expectedFormat) {
        try {
            JsonNode root = JSON.readTree(json);
            String format = root.path("format").asString("");
            if (!expectedFormat.equals(format)) {
                throw new KeyCeremonyException("this file is not a " + expectedFormat + " export (its format is '"
                        + format + "')");
            }
            JsonNode kdf = root.required("kdf");
            KdfParams params = new KdfParams(kdf.required("memoryKib").asInt(), kdf.required("iterations").asInt(),
                    kdf.required("parallelism").asInt());
            byte[] salt = Base64.getDecoder().decode(kdf.required("salt").asString());
            byte[] encrypted = Base64.getDecoder().decode(root.required("encryptedKeyset").asString());
            JsonNode publicNode = root.get("publicKeyset");
            byte[] publicKeyset = publicNode == null ? null : Base64.getDecoder().decode(publicNode.asString());
            return new ExportFile(format, params, salt, encrypted, publicKeyset, root.path("note").asString(""));
        } catch (KeyCeremonyException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KeyCeremonyException("the export file is damaged or not a Lockkeeper export: " + e.getClass().getSimpleName());
        }
    }
}
