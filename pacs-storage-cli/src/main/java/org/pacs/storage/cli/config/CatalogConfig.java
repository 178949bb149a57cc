package org.pacs.storage.cli.config;

import java.util.Objects;

/**
 * The {@code catalog} section: a JDBC URL (SQLite, the embedded default, or PostgreSQL for several nodes) and
 * optional credentials. In the file it is either the URL alone or a mapping of these keys.
 */
public record CatalogConfig(String url, String user, String password) {

    public static final String SQLITE = "jdbc:sqlite:";
    public static final String POSTGRESQL = "jdbc:postgresql:";
    public static final CatalogConfig DEFAULTS = new CatalogConfig(SQLITE + ConfigLoader.DEFAULT_ARCHIVE
            + "/catalog.db", null, null);

    public CatalogConfig {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith(SQLITE) && !url.startsWith(POSTGRESQL)) {
            throw new InvalidSetting("url", "'" + url + "' is not a supported catalog; accepted: jdbc:sqlite:FILE"
                    + " or jdbc:postgresql://HOST:PORT/DATABASE");
        }
    }

    /** For display: the password, and a password parameter in the URL, replaced by {@code mask}. */
    public CatalogConfig masked(String mask) {
        return new CatalogConfig(url.replaceAll("(?i)(password=)[^&;]*", "$1" + mask), user,
                password == null ? null : mask);
    }

    public CatalogConfig withUrl(String u) {
        return new CatalogConfig(u, user, password);
    }

    public CatalogConfig withCredentials(String u, String p) {
        return new CatalogConfig(url, u, p);
    }
}
