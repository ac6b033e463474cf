package com.lockkeeper.activedirectory;

import com.lockkeeper.bitlocker.ComputerName;
import com.lockkeeper.support.InvalidValueException;
import com.unboundid.ldap.sdk.Entry;

/**
 * The computer a recovery object belongs to: its parent, a computer object. Its dNSHostName
 * ({@code desktop-7f3k2.corp.example.com}) when it has one, else its name, else the value of the
 * parent's RDN ({@code CN=DESKTOP-7F3K2,OU=…} gives {@code DESKTOP-7F3K2}): an export that holds
 * only the recovery objects still names their computers.
 */
final class ComputerObjects {

    static final String CLASS = "computer";
    static final String DNS_HOST_NAME = "dNSHostName";
    static final String[] ATTRIBUTES = {DNS_HOST_NAME, "name", "cn"};

    private ComputerObjects() {
    }

    /** A parent resolved to a computer name, or the reason its recovery objects are skipped. */
    record Resolved(String parentDn, ComputerName name, String reason) {

        boolean skipped() {
            return name == null;
        }

        String describe() {
            return parentDn + ": " + reason;
        }
    }

    /** The computer named by the parent object {@code entry} (null when it was not read) at {@code parentDn}. */
    static Resolved resolve(String parentDn, Entry entry) {
        String text = null;
        if (entry != null) {
            text = firstNonBlank(entry.getAttributeValue(DNS_HOST_NAME), entry.getAttributeValue("name"),
                    entry.getAttributeValue("cn"));
        }
        if (text == null) {
            text = parentDn == null ? null : RecoveryObjects.rdnValue(parentDn);
        }
        if (text == null || text.isBlank()) {
            return new Resolved(parentDn, null, "the parent object names no computer");
        }
        try {
            return new Resolved(parentDn, ComputerName.parse(text), null);
        } catch (InvalidValueException e) {
            return new Resolved(parentDn, null, "not a computer name: " + e.reason());
        }
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
