package com.lockkeeper.activedirectory;

import com.unboundid.ldap.sdk.LDAPException;

/**
 * The directory could not be read (not reachable, the bind refused, a search failed) or the LDIF
 * file could not be read: nothing more was imported, what was stored before stays. The message
 * says what to check; it never holds a password.
 */
public final class DirectoryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    DirectoryException(String message, Throwable cause) {
        super(message, cause);
    }

    static DirectoryException of(Throwable failure) {
        if (failure instanceof DirectoryException directory) {
            return directory;
        }
        if (failure instanceof LDAPException ldap) {
            return new DirectoryException("the directory answered " + ldap.getResultCode()
                    + (ldap.getDiagnosticMessage() == null ? "" : " (" + shortened(ldap.getDiagnosticMessage()) + ")"), ldap);
        }
        return new DirectoryException("reading the directory failed: " + failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + shortened(failure.getMessage())), failure);
    }

    /** A server's diagnostic message can be long (a stack trace): its start is enough. */
    static String shortened(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() > 300 ? line.substring(0, 300) + " …" : line;
    }
}
