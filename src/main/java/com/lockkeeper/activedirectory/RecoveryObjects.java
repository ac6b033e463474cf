package com.lockkeeper.activedirectory;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.bitlocker.ProtectorId;
import com.lockkeeper.bitlocker.RecoveryPassword;
import com.lockkeeper.bitlocker.VolumeId;
import com.lockkeeper.bitlocker.VolumeType;
import com.lockkeeper.escrow.EscrowCommand;
import com.lockkeeper.escrow.EscrowImport;
import com.lockkeeper.support.InvalidValueException;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Date;
import java.util.List;

/**
 * Reads Active Directory's BitLocker recovery objects (class msFVE-RecoveryInformation, children of
 * the computer objects): the recovery password (msFVE-RecoveryPassword, text), the password ID
 * (msFVE-RecoveryGuid) and volume GUID (msFVE-VolumeGuid), both 16-byte GUIDs in Microsoft's byte
 * order, the optional key package (msFVE-KeyPackage, binary), and the creation time from the
 * object's name, {@code <creation time>{<password ID>}} like {@code 2026-11-20T10:15:00-08:00{4D3C2B1A-…}}.
 * Nothing read is ever put in a reason: a reason names the object's DN and what is wrong.
 */
final class RecoveryObjects {

    static final String CLASS = "msFVE-RecoveryInformation";
    static final String PASSWORD = "msFVE-RecoveryPassword";
    static final String RECOVERY_GUID = "msFVE-RecoveryGuid";
    static final String VOLUME_GUID = "msFVE-VolumeGuid";
    static final String KEY_PACKAGE = "msFVE-KeyPackage";
    static final String WHEN_CREATED = "whenCreated";
    static final String USN_CHANGED = "uSNChanged";

    /** The attributes an import asks for. */
    static final String[] ATTRIBUTES = {"cn", PASSWORD, RECOVERY_GUID, VOLUME_GUID, KEY_PACKAGE, WHEN_CREATED};

    /** The largest key package taken, as the escrow API takes. */
    static final int MAX_KEY_PACKAGE_BYTES = 16 * 1024;

    private RecoveryObjects() {
    }

    /** What one recovery object gave: an escrow, or why it could not be read. */
    sealed interface Read permits Escrow, Unreadable {
    }

    record Escrow(EscrowImport.Item item) implements Read {
    }

    record Unreadable(String dn, String reason) implements Read {
        String describe() {
            return dn + ": " + reason;
        }
    }

    /** The escrow the object holds for {@code computer}, or the reason it cannot be imported. */
    static Read read(Entry entry, ComputerName computer) {
        String dn = entry.getDN();
        String passwordText = entry.getAttributeValue(PASSWORD);
        if (passwordText == null) {
            return new Unreadable(dn, "no " + PASSWORD + " (the reading account may lack the right to read this"
                    + " confidential attribute: see the delegation in the migration guide)");
        }
        RecoveryPassword password;
        try {
            password = RecoveryPassword.parse(passwordText);
        } catch (InvalidValueException e) {
            return new Unreadable(dn, PASSWORD + " is not a valid recovery password ("
                    + e.block().stream().mapToObj(b -> "block " + b + ": ").findFirst().orElse("") + e.reason() + ")");
        }
        ProtectorId id;
        try {
            id = ProtectorId.fromMicrosoftBytes(entry.getAttributeValueBytes(RECOVERY_GUID));
        } catch (InvalidValueException e) {
            return new Unreadable(dn, RECOVERY_GUID + ": " + (entry.hasAttribute(RECOVERY_GUID) ? e.reason() : "missing"));
        }
        byte[] volumeBytes = entry.getAttributeValueBytes(VOLUME_GUID);
        if (volumeBytes == null) {
            return new Unreadable(dn, "no " + VOLUME_GUID + ": the key cannot be attached to its volume (the device's"
                    + " own escrow will bring it)");
        }
        VolumeId volume;
        try {
            volume = VolumeId.fromMicrosoftBytes(volumeBytes);
        } catch (InvalidValueException e) {
            return new Unreadable(dn, VOLUME_GUID + ": " + e.reason());
        }
        byte[] keyPackage = entry.getAttributeValueBytes(KEY_PACKAGE);
        if (keyPackage != null && (keyPackage.length == 0 || keyPackage.length > MAX_KEY_PACKAGE_BYTES)) {
            return new Unreadable(dn, KEY_PACKAGE + " is " + keyPackage.length + " bytes; at most "
                    + MAX_KEY_PACKAGE_BYTES + " are taken");
        }
        EscrowCommand command = new EscrowCommand(computer, volume, VolumeType.UNKNOWN, null, id, password, keyPackage,
                List.of(), createdAt(entry));
        return new Escrow(new EscrowImport.Item(dn, command));
    }

    /** The creation time in the object's name, else its whenCreated, else none (the import time is used). */
    static Instant createdAt(Entry entry) {
        String name;
        try {
            RDN rdn = entry.getParsedDN().getRDN();
            name = rdn == null ? null : rdn.getAttributeValues()[0];
        } catch (LDAPException e) {
            name = null;
        }
        if (name != null) {
            int brace = name.indexOf('{');
            if (brace > 0) {
                try {
                    return OffsetDateTime.parse(name.substring(0, brace)).toInstant();
                } catch (DateTimeParseException e) {
                    // not the usual name; whenCreated below
                }
            }
        }
        try {
            Date created = entry.getAttributeValueAsDate(WHEN_CREATED);
            return created == null ? null : created.toInstant();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The value of the DN's first RDN (CN=PC-0042,OU=… gives PC-0042), or null when the DN cannot be read. */
    static String rdnValue(String dn) {
        try {
            RDN rdn = new DN(dn).getRDN();
            return rdn == null ? null : rdn.getAttributeValues()[0];
        } catch (LDAPException e) {
            return null;
        }
    }

    /** The parent's DN of an entry, normalised, or null at the top (the entry keeps its parsed DN). */
    static String parentDn(Entry entry) {
        try {
            DN parent = entry.getParsedDN().getParent();
            return parent == null ? null : parent.toNormalizedString();
        } catch (LDAPException e) {
            return null;
        }
    }
}
