package org.pacs.storage.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress bar on stderr (count, MB/s, ETA), redrawn a few times a second. Only shown on a terminal:
 * in a pipe or a log file the carriage returns would be noise, so there it stays silent. The total may arrive
 * after the start (a counting pass running beside the work); until then the bar shows the count and the rate.
 */
final class Progress implements AutoCloseable {

    private static final int WIDTH = 30;
    private static final long UNKNOWN = -1;

    private final PrintWriter err;
    private final boolean show;
    private volatile long totalCount;
    private volatile long totalBytes;
    private final long startNanos = System.nanoTime();
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final ScheduledExecutorService ticker;
    private int drawn; // characters of the bar now on the line, so a message can blank it

    Progress(PrintWriter err, long totalCount, long totalBytes, boolean show) {
        this.err = err;
        this.show = show;
        this.totalCount = totalCount;
        this.totalBytes = totalBytes;
        if (show) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::draw, 200, 200, TimeUnit.MILLISECONDS);
        } else {
            ticker = null;
        }
    }

    /** A bar whose total is not known yet; see {@link #total}. */
    Progress(PrintWriter err, boolean show) {
        this(err, UNKNOWN, UNKNOWN, show);
    }

    static boolean onTerminal() {
        return System.console() != null;
    }

    boolean shown() {
        return show;
    }

    /** The total, once counted: from now on the bar fills and shows an ETA. */
    void total(long files, long fileBytes) {
        totalBytes = fileBytes;
        totalCount = files;
    }

    void done(long instanceBytes) {
        count.incrementAndGet();
        bytes.addAndGet(instanceBytes);
    }

    /** A line of its own (a skipped file) printed above the bar, which the next tick redraws. */
    synchronized void println(String line) {
        if (drawn > 0) {
            err.print("\r" + " ".repeat(drawn) + "\r");
            drawn = 0;
        }
        err.println(line);
        err.flush();
    }

    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static double megabytesPerSecond(long bytes, double seconds) {
        return seconds <= 0 ? 0 : bytes / 1e6 / seconds;
    }

    private synchronized void draw() {
        long c = count.get();
        long b = bytes.get();
        double s = seconds();
        double rate = megabytesPerSecond(b, s);
        long total = totalCount;
        String line;
        if (total == UNKNOWN) {
            line = String.format(Locale.ROOT, "\r%d files  %.1f MB/s  (counting) ", c, rate);
        } else {
            int filled = total == 0 ? WIDTH : (int) Math.min(WIDTH, WIDTH * c / total);
            String eta = "--:--";
            long tb = totalBytes;
            if (b > 0 && tb > b) {
                long left = (long) ((tb - b) / (b / s));
                eta = String.format(Locale.ROOT, "%02d:%02d", left / 60, left % 60);
            } else if (c >= total) {
                eta = "00:00";
            }
            line = String.format(Locale.ROOT, "\r[%s%s] %d/%d  %.1f MB/s  ETA %s ", "#".repeat(filled),
                    " ".repeat(WIDTH - filled), c, total, rate, eta);
        }
        // a shorter line than the last (the counting text gone) must not leave its tail behind
        int pad = Math.max(0, drawn - (line.length() - 1));
        err.print(line + " ".repeat(pad));
        drawn = line.length() - 1 + pad;
        err.flush();
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            draw();
            synchronized (this) {
                err.println();
                drawn = 0;
            }
        }
    }
}
