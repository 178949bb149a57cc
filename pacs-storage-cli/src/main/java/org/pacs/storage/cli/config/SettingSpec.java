package org.pacs.storage.cli.config;

import java.util.List;
import java.util.Locale;

/**
 * A key the CLI itself interprets (catalog, hsm, migration, security), with its kind and the spec's default.
 * Backend keys are not listed here: each backend's provider owns them.
 */
public record SettingSpec(String key, Kind kind, String defaultValue, boolean secret) {

    public enum Kind {
        DURATION, SIZE, INT, BOOL, STRING;

        /** What a person may write, for error messages. */
        public String forms() {
            return switch (this) {
                case DURATION -> Units.DURATION_FORMS;
                case SIZE -> Units.SIZE_FORMS;
                case INT -> "a whole number >= 0";
                case BOOL -> "true or false";
                case STRING -> "text";
            };
        }
    }

    public static SettingSpec of(String key, Kind kind, String defaultValue) {
        return new SettingSpec(key, kind, defaultValue, false);
    }

    /** Checks the text against the kind; returns the message's tail (without location) or null when fine. */
    public String problem(String text) {
        try {
            switch (kind) {
                case DURATION -> Units.parseDuration(text);
                case SIZE -> Units.parseSize(text);
                case INT -> {
                    if (Long.parseLong(text.trim()) < 0) {
                        return "'" + text + "' is negative; use " + kind.forms();
                    }
                }
                case BOOL -> {
                    String v = text.trim().toLowerCase(Locale.ROOT);
                    if (!v.equals("true") && !v.equals("false")) {
                        return "'" + text + "' is not a boolean; use " + kind.forms();
                    }
                }
                case STRING -> {
                }
            }
            return null;
        } catch (NumberFormatException e) {
            return "'" + text + "' is not a whole number; use " + kind.forms();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    static List<String> keys(List<SettingSpec> specs) {
        return specs.stream().map(SettingSpec::key).toList();
    }
}
