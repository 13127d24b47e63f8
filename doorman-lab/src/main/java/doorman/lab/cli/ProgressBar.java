package doorman.lab.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A one-line progress bar on stderr with rate and time left, redrawn with a carriage return at most ten times a
 * second. Without a console (output piped to a file or a log) it writes a plain line at every tenth of the work
 * instead, so logs stay readable.
 */
public final class ProgressBar implements AutoCloseable {

    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 30;

    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean interactive;
    private final LongSupplier clock;
    private final long started;
    private long done;
    private long lastDrawn;
    private int lastTenth;
    private int lastLength;
    private boolean closed;

    public ProgressBar(String label, long total) {
        this(label, total, System.err, System.console() != null, System::nanoTime);
    }

    ProgressBar(String label, long total, PrintStream out, boolean interactive, LongSupplier clock) {
        if (total < 0) throw new IllegalArgumentException("total must be >= 0, got " + total);
        this.label = label;
        this.total = total;
        this.out = out;
        this.interactive = interactive;
        this.clock = clock;
        this.started = clock.getAsLong();
        this.lastDrawn = started - REDRAW_NANOS;
    }

    public synchronized void step() {
        update(done + 1);
    }

    public synchronized void update(long doneNow) {
        if (closed) return;
        done = Math.max(0, Math.min(doneNow, total));
        long now = clock.getAsLong();
        if (interactive) {
            if (done == total || now - lastDrawn >= REDRAW_NANOS) {
                redraw(now);
                lastDrawn = now;
            }
        } else {
            int tenth = total == 0 ? 10 : (int) (done * 10 / total);
            if (tenth > lastTenth) {
                lastTenth = tenth;
                out.println(label + ": " + status(now));
            }
        }
    }

    /** Ends the bar's line with the total time; safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        double seconds = (clock.getAsLong() - started) / 1e9;
        String summary = String.format(Locale.ROOT, "%s: %d of %d in %s", label, done, total, duration(seconds));
        if (interactive) {
            redraw(clock.getAsLong());
            out.println();
        }
        out.println(summary);
        out.flush();
    }

    /** Rewrites the line, blanking what is left of a longer previous one. */
    private void redraw(long now) {
        String line = label + " " + status(now);
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        out.flush();
        lastLength = line.length();
    }

    private String status(long now) {
        double seconds = (now - started) / 1e9;
        double fraction = total == 0 ? 1 : (double) done / total;
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        double rate = seconds > 0 ? done / seconds : 0;
        String eta = done >= total ? "done" : rate > 0 ? "ETA " + duration((total - done) / rate) : "ETA ?";
        String bar = interactive ? "[" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " : "";
        return String.format(Locale.ROOT, interactive ? "%s%3d%% %d/%d %.1f/s %s" : "%s%d%% %d/%d %.1f/s %s", bar, (int) Math.floor(fraction * 100),
                done, total, rate, eta);
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) return s + "s";
        if (s < 3600) return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
        return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
}
