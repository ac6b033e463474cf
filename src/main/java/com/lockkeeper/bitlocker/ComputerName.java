package com.lockkeeper.bitlocker;

import com.lockkeeper.support.InvalidValueException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A computer as devices report it: a NetBIOS name or an FQDN. The part before the first dot is
 * the computer name, shown and looked up upper case; the rest is its DNS domain, lower case.
 */
public final class ComputerName {

    private static final int MAX_LABEL = 63;
    private static final int MAX_DNS_NAME = 253;

    private final String name;
    private final String domain;

    private ComputerName(String name, String domain) {
        this.name = name;
        this.domain = domain;
    }

    public static ComputerName parse(String text) {
        String fqdn = text == null ? "" : text.strip();
        if (fqdn.endsWith(".")) {
            fqdn = fqdn.substring(0, fqdn.length() - 1);
        }
        if (fqdn.isEmpty()) {
            throw new InvalidValueException("a computer name was expected; this is empty");
        }
        if (fqdn.length() > MAX_DNS_NAME) {
            throw new InvalidValueException("a DNS name has at most " + MAX_DNS_NAME + " characters");
        }
        int dot = fqdn.indexOf('.');
        String host = dot < 0 ? fqdn : fqdn.substring(0, dot);
        checkHostName(host);
        if (dot < 0) {
            return new ComputerName(host.toUpperCase(Locale.ROOT), null);
        }
        String domain = fqdn.substring(dot + 1);
        checkDomain(domain);
        return new ComputerName(host.toUpperCase(Locale.ROOT), domain.toLowerCase(Locale.ROOT));
    }

    /** The computer named by a BitLocker drive label like "DESKTOP-7F3K2 C: 11/23/2026": its first word. */
    public static ComputerName fromDriveLabel(String label) {
        String text = label == null ? "" : label.strip();
        if (text.isEmpty()) {
            throw new InvalidValueException("a drive label starting with the computer name was expected; this is empty");
        }
        return parse(text.split("\\s+", 2)[0]);
    }

    /** The host name, upper case: how Windows shows computer names, and the lookup key. */
    public String name() {
        return name;
    }

    public Optional<String> domain() {
        return Optional.ofNullable(domain);
    }

    public Optional<String> dnsName() {
        return domain().map(d -> name.toLowerCase(Locale.ROOT) + "." + d);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ComputerName that && name.equals(that.name) && Objects.equals(domain, that.domain);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, domain);
    }

    /** The name upper case with its domain lower case, like DESKTOP-7F3K2.corp.example.com. */
    @Override
    public String toString() {
        return domain == null ? name : name + "." + domain;
    }

    private static void checkHostName(String host) {
        if (host.isEmpty()) {
            throw new InvalidValueException("the computer name before the first dot is empty");
        }
        if (host.length() > MAX_LABEL) {
            throw new InvalidValueException("a computer name has at most " + MAX_LABEL + " characters");
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!isLetterOrDigit(c) && c != '-' && c != '_') {
                throw new InvalidValueException(
                        "a computer name has only letters A-Z, digits, - and _; character " + (i + 1) + " is not one");
            }
        }
        if (host.startsWith("-") || host.endsWith("-")) {
            throw new InvalidValueException("a computer name does not start or end with -");
        }
    }

    private static void checkDomain(String domain) {
        String[] labels = domain.split("\\.", -1);
        for (int i = 0; i < labels.length; i++) {
            String where = "label " + (i + 1) + " of the DNS domain";
            String label = labels[i];
            if (label.isEmpty()) {
                throw new InvalidValueException(where + " is empty (labels are separated by single dots)");
            }
            if (label.length() > MAX_LABEL) {
                throw new InvalidValueException(where + " is longer than " + MAX_LABEL + " characters");
            }
            for (int j = 0; j < label.length(); j++) {
                char c = label.charAt(j);
                if (!isLetterOrDigit(c) && c != '-') {
                    throw new InvalidValueException(
                            where + " has a character that is not a letter A-Z, a digit or -");
                }
            }
        }
    }

    private static boolean isLetterOrDigit(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }
}
