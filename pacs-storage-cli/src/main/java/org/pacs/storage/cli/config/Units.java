package org.pacs.storage.cli.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import org.pacs.storage.StorageException;
import org.pacs.storage.spi.SettingValues;

/** Parses the human forms the configuration accepts: durations like {@code 30d}, sizes like {@code 100MiB}. */
public final class Units {

    public static final String DURATION_FORMS = "a number with a unit: ms, s, m, h or d (e.g. 30d, 12h, 10s)";
    public static final String SIZE_FORMS = "a byte count, optionally with a unit: B, KB, MB, GB, TB (powers of 1000)"
            + " or KiB, MiB, GiB, TiB (powers of 1024), e.g. 100MiB";

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Units() {
    }

    /**
     * Returns the duration, or throws IllegalArgumentException naming the accepted forms. Unlike a backend's
     * {@code *-ms} settings, a CLI duration must carry its unit: a bare 3600 would be read as milliseconds where
     * the spec's migration_interval means seconds.
     */
    public static Duration parseDuration(String text) {
        if (!DURATION.matcher(text.trim().toLowerCase(Locale.ROOT)).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; use " + DURATION_FORMS);
        }
        return SettingValues.duration("duration", text);
    }

    /** Returns the size in bytes, or throws IllegalArgumentException naming the accepted forms. */
    public static long parseSize(String text) {
        try {
            return SettingValues.size("size", text);
        } catch (StorageException e) {
            throw new IllegalArgumentException("'" + text + "' is not a size; use " + SIZE_FORMS, e);
        }
    }

    /** The shortest exact form, for printing a duration back the way a person would write it. */
    public static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms != 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0 && ms != 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0 && ms != 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1000L == 0) {
            return ms / 1000L + "s";
        }
        return ms + "ms";
    }

    /** Exact binary form when there is one (10GiB), else the byte count. */
    public static String formatSize(long bytes) {
        String[] units = {"TiB", "GiB", "MiB", "KiB"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < units.length; i++) {
            long unit = 1L << shifts[i];
            if (bytes != 0 && bytes % unit == 0) {
                return bytes / unit + units[i];
            }
        }
        return Long.toString(bytes);
    }

    /** Rounded, for progress and summaries: "12.3 MB". */
    public static String humanBytes(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int i = -1;
        while (v >= 1000 && i < units.length - 1) {
            v /= 1000;
            i++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
    }
}
