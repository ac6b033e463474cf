package com.lockkeeper.bench;

/** {@code lockkeeper datakey rotate --reencrypt} over the seeded keys, as an admin runs it. */
final class Reencryption {

    record Result(long rows, double seconds) {
        double rate() {
            return rows / seconds;
        }
    }

    private Reencryption() {
    }

    static Result run(Installation installation, long expectedRows) throws Exception {
        long start = System.nanoTime();
        String out = installation.command("datakey", "rotate", "--reencrypt");
        double seconds = (System.nanoTime() - start) / 1e9;
        java.util.regex.Matcher rows = java.util.regex.Pattern.compile("(\\d+) row\\(s\\) re-encrypted").matcher(out);
        long done = rows.find() ? Long.parseLong(rows.group(1)) : -1;
        if (done < expectedRows) {
            throw new IllegalStateException("re-encryption did " + done + " rows, " + expectedRows + " expected:\n" + out);
        }
        System.out.printf("re-encrypted %,d rows in %.1f s (%.0f rows/s, including the command's start-up)%n", done,
                seconds, done / seconds);
        return new Result(done, seconds);
    }
}
