package com.lockkeeper.helpdesk;

import com.lockkeeper.bitlocker.RecoveryPassword;
import java.util.List;
import java.util.stream.IntStream;

/** One numbered block of a recovery password as pages show it; {@code spoken} is digit by digit, for screen readers. */
public record PasswordBlock(int number, String digits) {

    public static List<PasswordBlock> of(RecoveryPassword password) {
        return IntStream.rangeClosed(1, 8).mapToObj(n -> new PasswordBlock(n, password.block(n))).toList();
    }

    public String spoken() {
        return "Block " + number + ": " + String.join(" ", digits.split(""));
    }

    @Override
    public String toString() {
        return "PasswordBlock[" + number + ", redacted]";
    }
}
