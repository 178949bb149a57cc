package org.pacs.storage.catalog;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.pacs.storage.StorageException;

/**
 * A small fixed pool: the catalog needs a handful of connections (one per concurrent migration plus readers)
 * and no pool library is worth a dependency for that. A connection that fails validation after an error is
 * replaced rather than handed out again.
 * <p>For an embedded database with one writer at a time (SQLite), writes queue on a fair lock here: a writer
 * that meets SQLite's own lock waits in its busy handler, which sleeps 1, 2, 5, 10... ms between tries, so under
 * concurrent migrations most of the time went to sleeping rather than to committing.
 */
final class ConnectionPool implements AutoCloseable {

    @FunctionalInterface
    interface ConnectionFactory {
        Connection open() throws SQLException;
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private final ConnectionFactory factory;
    private final BlockingQueue<Connection> idle;
    private final List<Connection> all = new ArrayList<>();
    private final String description;
    private final ReentrantLock writeLock;
    /** The connection of the {@link #atomically} call running on this thread, which every call joins. */
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();
    private volatile boolean closed;

    ConnectionPool(ConnectionFactory factory, int size, String description, boolean singleWriter) {
        this.factory = factory;
        this.writeLock = singleWriter ? new ReentrantLock(true) : null;
        this.idle = new ArrayBlockingQueue<>(size);
        this.description = description;
        for (int i = 0; i < size; i++) {
            idle.add(newConnection());
        }
    }

    private Connection newConnection() {
        try {
            Connection c = factory.open();
            synchronized (all) {
                all.add(c);
            }
            return c;
        } catch (SQLException e) {
            throw StorageException.unavailable("Cannot connect to the catalog database " + description
                    + ": " + e.getMessage() + ". Check that it is running and reachable.", e);
        }
    }

    <T> T withConnection(SqlWork<T> work) {
        Connection joined = bound.get();
        if (joined != null) {
            try {
                return work.run(joined);
            } catch (SQLException e) {
                throw translate(e);
            }
        }
        Connection c = borrow();
        boolean healthy = true;
        try {
            return work.run(c);
        } catch (SQLException e) {
            healthy = isValid(c);
            throw translate(e);
        } finally {
            giveBack(c, healthy);
        }
    }

    /** Runs {@code work}, which writes, on a connection (after the writers before it, for a single-writer database). */
    <T> T writing(SqlWork<T> work) {
        if (writeLock == null) {
            return withConnection(work);
        }
        writeLock.lock();
        try {
            return withConnection(work);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Runs {@code work} in one transaction that every catalog call it makes on this thread joins: many state
     * changes, one commit (and one wait for the disk). Rolls back when {@code work} throws.
     */
    <T> T atomically(java.util.function.Supplier<T> work) {
        if (bound.get() != null) {
            return work.get();
        }
        return inTransaction(c -> {
            bound.set(c);
            try {
                return work.get();
            } finally {
                bound.remove();
            }
        });
    }

    /** Runs {@code work}, which writes, in one transaction; rolls back on any failure. */
    <T> T inTransaction(SqlWork<T> work) {
        Connection joined = bound.get();
        if (joined != null) {
            return withConnection(work); // part of the enclosing atomically(...)
        }
        return writing(c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    private Connection borrow() {
        if (closed) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE,
                    "The catalog " + description + " is closed; open a new storage instance.");
        }
        try {
            Connection c = idle.poll(60, TimeUnit.SECONDS);
            if (c == null) {
                throw StorageException.unavailable("No catalog connection became free within 60 s on "
                        + description + "; the database may be overloaded, retry later.", null);
            }
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.unavailable("Interrupted while waiting for a catalog connection.", e);
        }
    }

    private void giveBack(Connection c, boolean healthy) {
        if (!healthy || closed) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // already broken; a fresh one replaces it below
            }
            synchronized (all) {
                all.remove(c);
            }
            if (!closed) {
                try {
                    idle.add(newConnection());
                } catch (StorageException e) {
                    // the database is down; the pool shrinks until it is back and callers see UNAVAILABLE
                }
            }
            return;
        }
        idle.add(c);
    }

    private static boolean isValid(Connection c) {
        try {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    StorageException translate(SQLException e) {
        return StorageException.unavailable("Catalog database " + description + " failed: " + e.getMessage()
                + ". Check that the database is reachable and not full, then retry.", e);
    }

    @Override
    public void close() {
        closed = true;
        synchronized (all) {
            for (Connection c : all) {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
            all.clear();
        }
        idle.clear();
    }
}
