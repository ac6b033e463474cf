package com.lockkeeper.keys;

import java.util.UUID;

/** Associated data for every wrap in the hierarchy, so no wrapped key can be moved to another slot. */
final class Bindings {

    private Bindings() {
    }

    static String dmkUnderPassword(int dmkVersion) {
        return "lockkeeper/dmk/v" + dmkVersion + "/password";
    }

    static String dmkUnderNode(int dmkVersion, String nodeName) {
        return "lockkeeper/dmk/v" + dmkVersion + "/node/" + nodeName;
    }

    static String datakeyUnderDmk(int dmkVersion) {
        return "lockkeeper/datakey/dmk/v" + dmkVersion;
    }

    static String auditKey(String keyId) {
        return "lockkeeper/audit-key/" + keyId;
    }

    static String epoch(UUID epochId) {
        return "lockkeeper/epoch/" + epochId;
    }

    static final String DMK_EXPORT = "lockkeeper/export/dmk";
    static final String DATAKEY_EXPORT = "lockkeeper/export/datakey";
}
