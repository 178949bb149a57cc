package org.pacs.storage.security;

import java.sql.Connection;
import java.sql.SQLException;

/** Write transactions for a connection in autocommit mode. */
final class SqliteTx {

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private SqliteTx() {
    }

    /**
     * Runs {@code work} inside {@code BEGIN IMMEDIATE}. Taking the write lock up front, rather than upgrading a
     * read transaction later, is what lets SQLite's busy timeout handle contention: an upgrade that collides
     * with another writer fails with SQLITE_BUSY at once, whatever the timeout. Rolls back on any exception.
     */
    static <T> T immediate(Connection c, SqlWork<T> work) throws SQLException {
        SqliteSchema.run(c, "BEGIN IMMEDIATE");
        try {
            T result = work.run(c);
            SqliteSchema.run(c, "COMMIT");
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            try {
                SqliteSchema.run(c, "ROLLBACK");
            } catch (SQLException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            throw e;
        }
    }
}
