package com.lockkeeper.cli;

import java.io.PrintWriter;

/** A one-line progress bar on standard error, redrawn at most five times a second. */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final String label;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;

    ProgressBar(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
    }

    /** Redraws the bar; with {@code total} 0 (not known) it shows the count and the rate only. */
    void update(long done, long total) {
        long now = System.nanoTime();
        if ((total <= 0 || done < total) && now - lastDrawNanos < 200_000_000L) {
            return;
        }
        lastDrawNanos = now;
        if (total <= 0 || done > total) {
            err.printf("\r%s %d %.0f/s", label, done, done / Math.max((now - startNanos) / 1e9, 1e-3));
            err.flush();
            return;
        }
        int filled = total == 0 ? WIDTH : (int) (WIDTH * done / total);
        double seconds = Math.max((now - startNanos) / 1e9, 1e-3);
        err.printf("\r%s [%s%s] %3d%% %d/%d %.0f/s", label, "#".repeat(filled), "-".repeat(WIDTH - filled),
                total == 0 ? 100 : (int) (100 * done / total), done, total, done / seconds);
        err.flush();
    }

    void finish() {
        err.println();
    }
}
