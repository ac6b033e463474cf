package com.lockkeeper.notify;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The mail address of an account, where its name is one: associated users and staff accounts
 * are account names ({@code CORP\alice}, {@code alice}, {@code alice@corp.example.com}), and
 * only a name shaped like an address (a UPN, as Windows reports most accounts) is mailed.
 * {@code CORP\alice} and {@code alice} have no address and get no mail.
 */
public final class MailAddresses {

    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)+");
    private static final int MAX = 254;

    private MailAddresses() {
    }

    public static Optional<String> of(String account) {
        if (account == null) {
            return Optional.empty();
        }
        String text = account.strip();
        return text.length() <= MAX && ADDRESS.matcher(text).matches() ? Optional.of(text) : Optional.empty();
    }
}
