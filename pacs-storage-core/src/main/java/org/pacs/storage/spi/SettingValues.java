package org.pacs.storage.spi;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.StorageException;

/**
 * Parses the string values a {@link StorageBackendProvider} receives, so every backend accepts the same
 * spellings: sizes ("4194304", "4MiB", "100 MB"), durations ("3000" as milliseconds, "3s", "500ms", "2m"),
 * booleans (true/false/yes/no/on/off) and bounded integers. Every failure is INVALID_INPUT naming the key.
 */
public final class SettingValues {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([a-z]*)");
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    private SettingValues() {
    }

    /** Refuses keys the provider does not know, listing the accepted ones. */
    public static void requireKnownKeys(String type, Map<String, String> settings, Set<String> accepted) {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(accepted);
        if (!unknown.isEmpty()) {
            throw StorageException.invalidInput("Unknown " + type + " storage setting(s) " + unknown + "; accepted: "
                    + new TreeSet<>(accepted) + ".");
        }
    }

    public static String required(Map<String, String> settings, String key, String what) {
        String v = settings.get(key);
        if (v == null || v.isBlank()) {
            throw StorageException.invalidInput("Setting '" + key + "' is required: " + what + ".");
        }
        return v.trim();
    }

    /** Bytes; binary (KiB, MiB, GiB, TiB) and decimal (KB, MB, GB, TB) units, or B/none for bytes. */
    public static long size(String key, String value) {
        Matcher m = SIZE.matcher(value == null ? "" : value.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            long unit = switch (m.group(2)) {
                case "", "b" -> 1L;
                case "kib", "k" -> 1L << 10;
                case "mib", "m" -> 1L << 20;
                case "gib", "g" -> 1L << 30;
                case "tib", "t" -> 1L << 40;
                case "kb" -> 1_000L;
                case "mb" -> 1_000_000L;
                case "gb" -> 1_000_000_000L;
                case "tb" -> 1_000_000_000_000L;
                default -> -1L;
            };
            if (unit > 0) {
                try {
                    return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
                } catch (ArithmeticException | NumberFormatException e) {
                    // falls through to the message below
                }
            }
        }
        throw StorageException.invalidInput("'" + key + "' must be a size such as 4194304, 4MiB or 100MB, not '"
                + value + "'.");
    }

    /** A bare number is milliseconds, matching the spec's *_ms fields. */
    public static Duration duration(String key, String value) {
        Matcher m = DURATION.matcher(value == null ? "" : value.trim().toLowerCase(Locale.ROOT));
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                String unit = m.group(2) == null ? "ms" : m.group(2);
                return switch (unit) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> Duration.ofMillis(n);
                };
            } catch (NumberFormatException | ArithmeticException e) {
                // falls through to the message below
            }
        }
        throw StorageException.invalidInput("'" + key + "' must be a duration such as 3000 (milliseconds), 500ms,"
                + " 3s, 2m, 12h or 30d, not '" + value + "'.");
    }

    public static boolean bool(String key, String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw StorageException.invalidInput("'" + key + "' must be true or false, not '" + value + "'.");
        };
    }

    /** reject, replace, ignore or ignore-identical-reject-different, in any case, with '-' or '_'. */
    public static DuplicatePolicy duplicatePolicy(String key, String value) {
        try {
            return DuplicatePolicy.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw StorageException.invalidInput("Unknown " + key + " '" + value
                    + "'; use reject, replace, ignore or ignore-identical-reject-different.");
        }
    }

    public static int integer(String key, String value, int min, int max) {
        try {
            int n = Integer.parseInt(value == null ? "" : value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw StorageException.invalidInput("'" + key + "' must be a whole number from " + min + " to " + max
                + ", not '" + value + "'.");
    }
}
