package org.pacs.storage.cli.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one grammar for the durations and sizes a person writes, in the configuration file (through
 * {@link UnitsModule}) and in command options (through {@code SizeConverter}): durations {@code 30d}, {@code 12h},
 * {@code 5m}, {@code 10s}, {@code 500ms}; sizes {@code 100MiB}, {@code 10GiB}, {@code 15GB} or a plain byte count.
 * Units are case-insensitive; numbers are whole and not negative.
 */
public final class Units {

    public static final String DURATION_FORMS = "a whole number with a unit: ms, s, m, h or d (e.g. 30d, 12h, 10s,"
            + " 500ms)";
    public static final String SIZE_FORMS = "a byte count, optionally with a unit: B, KB, MB, GB, TB (powers of 1000)"
            + " or KiB, MiB, GiB, TiB (powers of 1024), e.g. 100MiB";

    private static final Pattern DURATION = Pattern.compile("(\\d+) ?(ms|s|m|h|d)");
    private static final Pattern SIZE = Pattern.compile("(\\d+) ?(b|kb|mb|gb|tb|kib|mib|gib|tib)?");

    private Units() {
    }

    /**
     * Returns the duration, or throws IllegalArgumentException naming the accepted forms. The unit is required:
     * a bare 3600 would be milliseconds to a backend's {@code *-ms} setting but seconds to the spec's
     * migration_interval, so the configuration makes the writer say which.
     */
    public static Duration parseDuration(String text) {
        Matcher m = DURATION.matcher(normal(text));
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("'" + text + "' is too long a duration; use " + DURATION_FORMS, e);
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration; use " + DURATION_FORMS);
    }

    /** Returns the size in bytes, or throws IllegalArgumentException naming the accepted forms. */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(normal(text));
        if (m.matches()) {
            String unit = m.group(2) == null ? "b" : m.group(2);
            long factor = switch (unit) {
                case "kb" -> 1_000L;
                case "mb" -> 1_000_000L;
                case "gb" -> 1_000_000_000L;
                case "tb" -> 1_000_000_000_000L;
                case "kib" -> 1L << 10;
                case "mib" -> 1L << 20;
                case "gib" -> 1L << 30;
                case "tib" -> 1L << 40;
                default -> 1L;
            };
            try {
                return Math.multiplyExact(Long.parseLong(m.group(1)), factor);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("'" + text + "' is too large a size; use " + SIZE_FORMS, e);
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a size; use " + SIZE_FORMS);
    }

    private static String normal(String text) {
        return text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    }

    /** The shortest exact form, for printing a duration back the way a person would write it. */
    public static String formatDuration(Duration d) {
        long ms = d.toMillis();
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms != 0 && ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms == 0 ? "0s" : ms + "ms";
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

    public static final String FRACTION_FORMS = "a fraction from 0 to 1 (e.g. 0.9) or a percentage (e.g. 90%)";

    /** A watermark: {@code 0.9} or {@code 90%}; throws IllegalArgumentException naming the accepted forms. */
    public static double parseFraction(String text) {
        String t = normal(text);
        boolean percent = t.endsWith("%");
        try {
            double v = Double.parseDouble(percent ? t.substring(0, t.length() - 1).strip() : t);
            double f = percent ? v / 100 : v;
            if (Double.isFinite(f) && f >= 0 && f <= 1 && !t.contains("e") && !t.startsWith("+")) {
                return f;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("'" + text + "' is not a fraction; use " + FRACTION_FORMS);
    }

    /** As a percentage when that is exact to a hundredth of a percent (90%), else the fraction. */
    public static String formatFraction(double f) {
        double p = Math.round(f * 10_000) / 100.0;
        if (Math.abs(p / 100 - f) < 1e-12) {
            return (p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p)) + "%";
        }
        return Double.toString(f);
    }
}
