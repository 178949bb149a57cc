package org.pacs.storage.cli.config;

/**
 * A configuration record's refusal of one of its values: {@code key} is the component's configuration name
 * ({@code max-concurrent-migrations}), so the loader can point at the key's line; the message says what is
 * accepted, without location.
 */
public final class InvalidSetting extends IllegalArgumentException {

    private final String key;

    public InvalidSetting(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }

    static int nonNegative(String key, int value) {
        if (value < 0) {
            throw new InvalidSetting(key, "'" + value + "' is negative; use a whole number >= 0");
        }
        return value;
    }

    static <T> T required(String key, T value) {
        if (value == null) {
            throw new InvalidSetting(key, "has no value; give one or remove the key to use the default");
        }
        return value;
    }
}
