package org.pacs.storage.cli.config;

/** The {@code security} section: where the users database lives. */
public record SecurityConfig(String database) {

    public static final SecurityConfig DEFAULTS = new SecurityConfig(ConfigLoader.DEFAULT_ARCHIVE + "/security.db");

    public SecurityConfig {
        InvalidSetting.required("database", database);
    }

    public SecurityConfig withDatabase(String path) {
        return new SecurityConfig(path);
    }
}
