package org.pacs.storage.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress bar on stderr (count, MB/s, ETA), redrawn a few times a second. Only shown on a terminal:
 * in a pipe or a log file the carriage returns would be noise, so there it stays silent.
 */
final class Progress implements AutoCloseable {

    private static final int WIDTH = 30;

    private final PrintWriter err;
    private final long totalCount;
    private final long totalBytes;
    private final long startNanos = System.nanoTime();
    private final AtomicLong count = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final ScheduledExecutorService ticker;

    Progress(PrintWriter err, long totalCount, long totalBytes, boolean show) {
        this.err = err;
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

    static boolean onTerminal() {
        return System.console() != null;
    }

    void done(long instanceBytes) {
        count.incrementAndGet();
        bytes.addAndGet(instanceBytes);
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
        int filled = totalCount == 0 ? WIDTH : (int) (WIDTH * c / totalCount);
        String eta = "--:--";
        if (b > 0 && totalBytes > b) {
            long left = (long) ((totalBytes - b) / (b / s));
            eta = String.format(Locale.ROOT, "%02d:%02d", left / 60, left % 60);
        } else if (c >= totalCount) {
            eta = "00:00";
        }
        err.print(String.format(Locale.ROOT, "\r[%s%s] %d/%d  %.1f MB/s  ETA %s ", "#".repeat(filled),
                " ".repeat(WIDTH - filled), c, totalCount, rate, eta));
        err.flush();
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            draw();
            err.println();
        }
    }
}
