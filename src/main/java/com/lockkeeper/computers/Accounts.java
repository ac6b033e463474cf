package com.lockkeeper.computers;

import java.util.Locale;

/**
 * Account names as devices report them ({@code CORP\alice}, {@code alice@corp.example.com},
 * {@code alice}) and as people sign in. Two names are the same account when their bare names
 * (without the NetBIOS domain before a backslash and the UPN suffix after an @) are equal,
 * ignoring case, as Windows compares them.
 */
public final class Accounts {

    private Accounts() {
    }

    public static String bare(String account) {
        String text = account == null ? "" : account.strip();
        int backslash = text.lastIndexOf('\\');
        if (backslash >= 0) {
            text = text.substring(backslash + 1);
        }
        int at = text.indexOf('@');
        if (at > 0) {
            text = text.substring(0, at);
        }
        return text.toLowerCase(Locale.ROOT);
    }

    public static boolean same(String a, String b) {
        String bareA = bare(a);
        return !bareA.isEmpty() && bareA.equals(bare(b));
    }

    /** A LIKE pattern with ! as the escape character. */
    static String likeLiteral(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
