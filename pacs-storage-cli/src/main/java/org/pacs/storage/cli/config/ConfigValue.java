package org.pacs.storage.cli.config;

import java.util.Objects;

/**
 * One configuration value and where it came from, so a value rejected later (by a backend provider, say) can
 * still be reported with its file and line.
 *
 * @param key    the full dotted key, e.g. {@code tiers.hot.root-path}
 * @param value  the value with {@code ${ENV}} references already replaced
 * @param line   1-based line in {@code source}; 0 for a built-in default
 * @param source the file name, or "embedded default"
 */
public record ConfigValue(String key, String value, int line, String source) {

    public ConfigValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(source, "source");
    }

    public static ConfigValue ofDefault(String key, String value) {
        return new ConfigValue(key, value, 0, "default");
    }

    /** "pacs-storage.yaml:12: tiers.hot.root-path" — the prefix of every message about this value. */
    public String where() {
        return line > 0 ? source + ":" + line + ": " + key : key + " (" + source + ")";
    }
}
