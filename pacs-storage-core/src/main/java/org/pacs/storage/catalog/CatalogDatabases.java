package org.pacs.storage.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.pacs.storage.StorageException;
import org.postgresql.ds.PGSimpleDataSource;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** How the catalog opens each database: the driver settings that make it safe and quick to fail. */
final class CatalogDatabases {

    private CatalogDatabases() {
    }

    /**
     * One SQLite file (created with its directory when missing): WAL so readers never block the writer,
     * synchronous=FULL so a committed tier switch survives a power cut, IMMEDIATE transactions.
     */
    static CatalogConnections sqlite(Path file, int busyTimeoutMillis) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            org.pacs.storage.spi.PrivateFiles.createOwnerOnly(file); // patient names and IDs
        } catch (IOException e) {
            throw StorageException.unavailable("Cannot create the directory for catalog " + file + ": "
                    + e.getMessage() + "; check the path and permissions.", e);
        }
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        cfg.setBusyTimeout(busyTimeoutMillis);
        // writers take the lock up front, so two writers wait in busy_timeout instead of deadlocking on upgrade
        cfg.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // nothing reads generated keys; left on, the driver runs "SELECT last_insert_rowid()" after every insert
        cfg.setGetGeneratedKeys(false);
        SQLiteDataSource ds = new SQLiteDataSource(cfg);
        ds.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        // the wait is for a free pooled connection (4 per process), never for a server
        return CatalogConnections.of(ds, SqlDialect.SQLITE, 4, 60_000, file.toString());
    }

    /** A PostgreSQL server by JDBC URL; {@code user} and {@code password} may be null (then the URL's). */
    static CatalogConnections postgres(String jdbcUrl, String user, String password, int poolSize,
                                       Duration connectTimeout) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw StorageException.invalidInput("Catalog URL '" + jdbcUrl
                    + "' is not a PostgreSQL JDBC URL; use jdbc:postgresql://host:port/database.");
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        try {
            ds.setURL(jdbcUrl);
        } catch (IllegalArgumentException e) {
            throw StorageException.invalidInput("Catalog URL '" + withoutParameters(jdbcUrl) + "' is not valid: "
                    + e.getMessage() + "; use jdbc:postgresql://host:port/database.");
        }
        if (user != null) { // else the URL's own user= (as DriverManager.getConnection(url, null, null) did)
            ds.setUser(user);
        }
        if (password != null) {
            ds.setPassword(password);
        }
        // unless the URL says otherwise: a dead host fails a connection attempt within the pool's wait, and a
        // server that vanished without closing the socket (network cut) does not hang a call forever
        if (!jdbcUrl.contains("connectTimeout=")) {
            ds.setConnectTimeout((int) Math.max(1, connectTimeout.toSeconds()));
        }
        if (!jdbcUrl.contains("socketTimeout=")) {
            ds.setSocketTimeout(300);
        }
        ds.setTcpKeepAlive(true);
        return CatalogConnections.of(ds, SqlDialect.POSTGRESQL, poolSize, connectTimeout.toMillis(),
                withoutParameters(jdbcUrl));
    }

    /** The URL as errors and pool threads name it: its parameters may hold a password. */
    private static String withoutParameters(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
    }
}
