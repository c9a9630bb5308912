package dev.counterpoint.cli;

import dev.counterpoint.importer.ImportProgress;
import dev.counterpoint.shared.UserMessage;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A long import's progress on one line of stderr, redrawn in place: a bar by bytes of the file read, the rows done,
 * the rate and the time left at that rate. A message printed meanwhile ({@link #clear} first) gets a line of its own
 * and the bar comes back below it. Redrawn at most {@value #REDRAW_MILLIS} ms apart.
 */
final class ProgressBar implements ImportProgress {
    static final int REDRAW_MILLIS = 250;
    private static final int WIDTH = 24;

    private final PrintWriter err;
    private final ResourceBundle bundle;
    private final LongSupplier nanos;
    private final long start;
    private long lastDrawn = Long.MIN_VALUE;
    private int shownLength;

    ProgressBar(PrintWriter err, ResourceBundle bundle, LongSupplier nanos) {
        this.err = err;
        this.bundle = bundle;
        this.nanos = nanos;
        this.start = nanos.getAsLong();
    }

    @Override
    public void advanced(long rows, long bytesRead, long bytesTotal) {
        long now = nanos.getAsLong();
        boolean done = bytesRead >= bytesTotal;
        if (!done && lastDrawn != Long.MIN_VALUE && now - lastDrawn < TimeUnit.MILLISECONDS.toNanos(REDRAW_MILLIS)) {
            return;
        }
        lastDrawn = now;
        String line = line(rows, bytesRead, bytesTotal, now - start);
        err.print("\r" + line + " ".repeat(Math.max(0, shownLength - line.length())));
        err.flush();
        shownLength = line.length();
    }

    String line(long rows, long bytesRead, long bytesTotal, long elapsedNanos) {
        double fraction = bytesTotal <= 0 ? 1 : Math.min(1, bytesRead / (double) bytesTotal);
        int filled = (int) Math.round(fraction * WIDTH);
        double seconds = elapsedNanos / 1e9;
        long rate = seconds > 0 ? Math.round(rows / seconds) : 0;
        long left = fraction > 0 ? Math.round(seconds * (1 - fraction) / fraction) : 0;
        return new UserMessage("import.progress", "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]",
                String.valueOf((int) Math.floor(fraction * 100)), String.format(Locale.ROOT, "%,d", rows),
                String.format(Locale.ROOT, "%,d", rate), String.format(Locale.ROOT, "%d:%02d", left / 60, left % 60))
                .format(bundle);
    }

    /** Takes the bar off its line, so what is printed next starts at the line's beginning. */
    void clear() {
        if (shownLength > 0) {
            err.print("\r" + " ".repeat(shownLength) + "\r");
            shownLength = 0;
            lastDrawn = Long.MIN_VALUE;
        }
    }

    /** Ends the bar's line, leaving its last state on the screen. */
    void finish() {
        if (shownLength > 0) {
            err.println();
            err.flush();
            shownLength = 0;
        }
    }
}
