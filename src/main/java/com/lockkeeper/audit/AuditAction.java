package com.lockkeeper.audit;

import java.util.Arrays;
import java.util.Optional;

/**
 * Every action the audit log records. {@link #stored()} is the text in the {@code action} column
 * and in the hash of each record: records already written hold it, so a value's text never
 * changes; a new action gets a new value.
 */
public enum AuditAction {

    SIGN_IN("signin"),
    SIGN_OUT("signout"),
    SIGN_IN_LOCKED("signin.locked"),

    USER_ADD("user.add"),
    USER_CHANGE_PASSWORD("user.passwd"),
    USER_RESET_PASSWORD("user.reset-password"),
    USER_ROLES("user.roles"),
    USER_DISABLE("user.disable"),
    USER_ENABLE("user.enable"),

    TOKEN_CREATE("token.create"),
    TOKEN_REVOKE("token.revoke"),

    DEVICE_ENROLL("device.enroll"),
    DEVICE_APPROVE("device.approve"),
    DEVICE_REJECT("device.reject"),
    DEVICE_REVOKE("device.revoke"),
    /** A device called for a computer or a volume that is not its own, or without the credential it needs. */
    DEVICE_REFUSED("device.refused"),
    VOLUME_MOVE("volume.move"),

    ESCROW("escrow"),
    ESCROW_KEY_PACKAGE("escrow.key-package"),
    ESCROW_IMPORT("escrow.import"),
    DIRECTORY_IMPORT("directory.import"),
    DIRECTORY_SYNC("directory.sync"),

    REVEAL("reveal"),
    REVEAL_KEY_PACKAGE("reveal.key-package"),
    SELF_SERVICE_REVEAL("self-service.reveal"),

    APPROVAL_REQUEST("approval.request"),
    APPROVAL_APPROVE("approval.approve"),
    APPROVAL_DENY("approval.deny"),

    NOTIFICATION_GIVEN_UP("notification.given-up"),

    KEY_DISCLOSED("key.disclosed"),
    KEY_RETIRE("key.retire"),
    KEY_ESCROW_REQUESTED("key.escrow-requested"),
    /** A device's check-in showed that the escrowed password differs from the one it has (or, later, that it no longer does). */
    KEY_DIFFERS("key.differs"),
    /** A stored password that differed from the device was replaced by the device's escrow; the old copy is kept. */
    KEY_REPLACE("key.replace"),
    KEY_ATTACH("key.attach"),
    ROTATION_REQUEST("rotation.request"),

    /** An admin retired a computer (or the retention did, with auto-retire): its keys may be purged later. */
    COMPUTER_RETIRE("computer.retire"),
    /** A retired computer is in use again (an admin said so, or it checked in). */
    COMPUTER_UNRETIRE("computer.unretire"),
    /** A computer has not checked in for the retention's stale-after period. */
    COMPUTER_STALE("computer.stale"),
    COMPUTER_HOLD("computer.hold"),
    COMPUTER_RELEASE("computer.release"),
    /** The retention deleted a key's material; the row keeps its metadata. */
    KEY_PURGE("key.purge"),

    KEYS_BOOTSTRAP("keys.bootstrap"),
    KEYS_VERIFY("keys.verify"),
    NODE_INIT("node.init"),
    DMK_REGISTER("dmk.register"),
    DMK_UNREGISTER("dmk.unregister"),
    DMK_EXPORT("dmk.export"),
    DMK_ROTATE("dmk.rotate"),
    DMK_RECREATE("dmk.recreate"),
    DATAKEY_EXPORT("datakey.export"),
    DATAKEY_IMPORT("datakey.import"),
    DATAKEY_ROTATE("datakey.rotate"),
    DATAKEY_RESEAL("datakey.reseal"),
    DATAKEY_REENCRYPT("datakey.reencrypt"),
    BUNDLE_EXPORT("bundle.export"),
    BUNDLE_IMPORT("bundle.import"),

    REPORT_VIEW("report.view"),
    REPORT_EXPORT("report.export"),
    ANALYSIS_OPEN("analysis.open"),
    ANALYSIS_CLOSE("analysis.close");

    private final String stored;

    AuditAction(String stored) {
        this.stored = stored;
    }

    /** The text of the {@code action} column. */
    public String stored() {
        return stored;
    }

    /** The action a stored record names, if it is one of these. */
    public static Optional<AuditAction> ofStored(String text) {
        return Arrays.stream(values()).filter(action -> action.stored.equals(text)).findFirst();
    }

    @Override
    public String toString() {
        return stored;
    }
}
