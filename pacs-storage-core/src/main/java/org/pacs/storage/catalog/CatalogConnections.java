package org.pacs.storage.catalog;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.pacs.storage.StorageException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The catalog's connections: a HikariCP pool (which replaces broken connections and refills once the database
 * is back) plus the transaction helpers every catalog call goes through.
 *
 * <p>SQLite (one file, possibly shared by several processes): transactions are written out as
 * {@code BEGIN IMMEDIATE} ... {@code COMMIT} rather than through the driver's auto-commit switch, because
 * sqlite-jdbc's {@code commit()} at once begins the next IMMEDIATE transaction, which takes the write lock again
 * and can report SQLITE_BUSY after the data was committed. Writers of this process queue on a fair lock (SQLite's
 * busy handler sleeps 1, 2, 5, 10... ms between tries, so queueing here is much faster under load); writers of
 * other processes meet SQLite's busy_timeout, and a call that still gets SQLITE_BUSY (the timeout ran out, WAL
 * recovery, a checkpoint) is retried with jittered backoff until {@link #BUSY_DEADLINE_NANOS}: a retry re-runs
 * only SQL, never work outside the database, so it cannot apply anything twice.
 */
final class CatalogConnections implements AutoCloseable {

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface SqlCall<T> {
        T call() throws SQLException;
    }

    /** How long a SQLite call keeps retrying SQLITE_BUSY before it reports UNAVAILABLE. */
    static final long BUSY_DEADLINE_NANOS = 120_000_000_000L;

    private final HikariDataSource pool;
    private final SqlDialect dialect;
    private final String description;
    private final ReentrantLock writeLock;
    /** The connection of the {@link #atomically} call running on this thread, which every call joins. */
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();
    private final AtomicLong busyRetries = new AtomicLong();

    private CatalogConnections(HikariConfig config, SqlDialect dialect, String description) {
        this.dialect = dialect;
        this.description = description;
        this.writeLock = dialect == SqlDialect.SQLITE ? new ReentrantLock(true) : null;
        try {
            this.pool = new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw StorageException.unavailable("Cannot connect to the catalog database " + description + ": "
                    + rootMessage(e) + ". Check that it is running and reachable.", e);
        }
    }

    /**
     * @param dataSource     where connections come from (a SQLiteDataSource with its pragmas, a PGSimpleDataSource)
     * @param connectTimeoutMillis how long a caller waits for a connection before UNAVAILABLE (a database that
     *                             is down must fail calls quickly rather than hang them)
     */
    static CatalogConnections of(DataSource dataSource, SqlDialect dialect, int size, long connectTimeoutMillis,
                                 String description) {
        HikariConfig cfg = new HikariConfig();
        cfg.setDataSource(dataSource);
        cfg.setPoolName("catalog " + description);
        cfg.setMaximumPoolSize(size);
        cfg.setMinimumIdle(Math.min(size, 2));
        cfg.setConnectionTimeout(connectTimeoutMillis);
        cfg.setValidationTimeout(Math.min(connectTimeoutMillis, 5_000));
        cfg.setKeepaliveTime(60_000); // finds connections a restarted server dropped before a caller does
        cfg.setAutoCommit(true);
        return new CatalogConnections(cfg, dialect, description);
    }

    /** Calls that met SQLITE_BUSY and were retried (for tests and diagnostics). */
    long busyRetries() {
        return busyRetries.get();
    }

    /** Runs {@code work} in auto-commit on a pooled connection (or the one of an enclosing atomically). */
    <T> T withConnection(SqlWork<T> work) {
        Connection joined = bound.get();
        if (joined != null) {
            return run(joined, work);
        }
        return retryingBusy(() -> {
            try (Connection c = borrow()) {
                return work.run(c);
            }
        });
    }

    /**
     * Runs {@code work}, which writes (one statement, or several that may commit one by one): on SQLite as one
     * IMMEDIATE transaction after this process's writers before it, so SQLITE_BUSY is retried in one place; on
     * PostgreSQL in auto-commit, which saves the round trips of a transaction.
     */
    <T> T writing(SqlWork<T> work) {
        return dialect == SqlDialect.SQLITE ? inTransaction(work) : withConnection(work);
    }

    /** Runs {@code work}, which writes, in one transaction; rolls back on any failure. */
    <T> T inTransaction(SqlWork<T> work) {
        Connection joined = bound.get();
        if (joined != null) {
            return run(joined, work); // part of the enclosing atomically(...)
        }
        return retryingBusy(() -> {
            try (Connection c = borrow()) {
                return transaction(c, work);
            }
        });
    }

    /**
     * Runs {@code work} in one transaction that every catalog call it makes on this thread joins: many state
     * changes, one commit (and one wait for the disk). Rolls back when {@code work} throws. {@code work} may do
     * more than SQL (copy bytes), so it never runs twice: only taking the write lock is retried on SQLITE_BUSY.
     */
    <T> T atomically(Supplier<T> work) {
        if (bound.get() != null) {
            return work.get();
        }
        try (Connection c = borrow()) {
            // connection first, then the lock, as everywhere: a lock holder never waits for a pooled connection
            lockWriters();
            try {
                return runBound(c, work);
            } finally {
                unlockWriters();
            }
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    private <T> T runBound(Connection c, Supplier<T> work) {
        retryingBusy(() -> {
            begin(c);
            return null;
        });
        try {
            bound.set(c);
            T result = work.get();
            retryingBusy(() -> {
                commit(c);
                return null;
            });
            return result;
        } catch (RuntimeException | Error e) {
            rollbackQuietly(c, e);
            throw e;
        } finally {
            bound.remove();
        }
    }

    private <T> T transaction(Connection c, SqlWork<T> work) throws SQLException {
        lockWriters();
        try {
            begin(c);
            T result;
            try {
                result = work.run(c);
                commit(c);
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(c, e);
                throw e;
            }
            return result;
        } finally {
            unlockWriters();
        }
    }

    private void begin(Connection c) throws SQLException {
        if (dialect == SqlDialect.SQLITE) {
            try (Statement s = c.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }
        } else {
            c.setAutoCommit(false);
        }
    }

    private void commit(Connection c) throws SQLException {
        if (dialect == SqlDialect.SQLITE) {
            try (Statement s = c.createStatement()) {
                s.execute("COMMIT");
            }
        } else {
            c.commit();
            c.setAutoCommit(true);
        }
    }

    /** Rolls back; a connection whose rollback fails is dropped from the pool rather than reused mid-transaction. */
    private void rollbackQuietly(Connection c, Throwable cause) {
        try {
            if (dialect == SqlDialect.SQLITE) {
                try (Statement s = c.createStatement()) {
                    s.execute("ROLLBACK");
                }
            } else {
                c.rollback();
                c.setAutoCommit(true);
            }
        } catch (SQLException suppressed) {
            cause.addSuppressed(suppressed);
            pool.evictConnection(c);
        }
    }

    private void lockWriters() {
        if (writeLock != null) {
            writeLock.lock();
        }
    }

    private void unlockWriters() {
        if (writeLock != null) {
            writeLock.unlock();
        }
    }

    private <T> T run(Connection c, SqlWork<T> work) {
        try {
            return work.run(c);
        } catch (SQLException e) {
            throw translate(e);
        }
    }

    /** Re-runs {@code call} while SQLite reports SQLITE_BUSY, with jittered backoff, up to a deadline. */
    private <T> T retryingBusy(SqlCall<T> call) {
        long deadline = System.nanoTime() + BUSY_DEADLINE_NANOS;
        long pauseMillis = 1;
        while (true) {
            try {
                return call.call();
            } catch (SQLException e) {
                if (!isBusy(e) || System.nanoTime() - deadline > 0) {
                    throw translate(e);
                }
            }
            busyRetries.incrementAndGet();
            try {
                // jitter: writers of several processes that met each other must not retry in lockstep
                Thread.sleep(1 + ThreadLocalRandom.current().nextLong(pauseMillis));
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw StorageException.unavailable("Interrupted while waiting for the catalog " + description
                        + ", which another process is writing.", ie);
            }
            pauseMillis = Math.min(100, pauseMillis * 2);
        }
    }

    private static boolean isBusy(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLiteException s) {
                int primary = s.getResultCode().code & 0xff;
                return primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code;
            }
        }
        return false;
    }

    private Connection borrow() throws SQLException {
        if (pool.isClosed()) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE,
                    "The catalog " + description + " is closed; open a new storage instance.");
        }
        return pool.getConnection();
    }

    StorageException translate(SQLException e) {
        if (e instanceof java.sql.SQLTransientConnectionException) {
            // Hikari's "request timed out": no connection could be made (or none came free) in time
            return StorageException.unavailable("The catalog database " + description + " is unreachable or"
                    + " overloaded (no connection within " + pool.getConnectionTimeout() / 1000 + " s: "
                    + rootMessage(e) + "). Check that it is running and reachable; calls succeed again as soon as"
                    + " it is back.", e);
        }
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith("08") || state.startsWith("57P")) {
            // connection exceptions, and the server shutting down or restarting (57P01..57P03)
            return StorageException.unavailable("The catalog database " + description + " dropped the connection ("
                    + e.getMessage() + "). Check that it is running and reachable; calls succeed again as soon as"
                    + " it is back.", e);
        }
        return StorageException.unavailable("Catalog database " + description + " failed: " + e.getMessage()
                + ". Check that the database is reachable and not full, then retry.", e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    @Override
    public void close() {
        pool.close();
    }
}
