package org.pacs.storage.security;

import java.nio.file.Path;
import java.sql.SQLException;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;

/** Turns SQLite's error codes into {@link StorageException}s whose message names the file and a next step. */
final class SqliteErrors {

    static final int BUSY_TIMEOUT_MILLIS = 30_000;

    private static final int SQLITE_READONLY = 8;
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_IOERR = 10;
    private static final int SQLITE_CORRUPT = 11;
    private static final int SQLITE_FULL = 13;
    private static final int SQLITE_CANTOPEN = 14;
    private static final int SQLITE_CONSTRAINT = 19;
    private static final int SQLITE_NOTADB = 26;

    private SqliteErrors() {
    }

    /** Primary result code; sqlite-jdbc reports extended codes (e.g. 2067 for a UNIQUE violation). */
    static int primaryCode(SQLException e) {
        return e.getErrorCode() & 0xff;
    }

    static boolean isConstraintViolation(SQLException e) {
        return primaryCode(e) == SQLITE_CONSTRAINT;
    }

    static StorageException map(SQLException e, Path db, String doing) {
        String context = " while " + doing + " in security database " + db;
        switch (primaryCode(e)) {
            case SQLITE_BUSY:
            case SQLITE_LOCKED:
                return new StorageException(Reason.UNAVAILABLE, "Database stayed locked for more than "
                        + BUSY_TIMEOUT_MILLIS / 1000 + " s" + context
                        + "; another process holds a long transaction, find and stop it, then retry.", e);
            case SQLITE_NOTADB:
                return notADatabase(db, e);
            case SQLITE_CORRUPT:
                return corrupt(db, e);
            case SQLITE_CONSTRAINT:
                return new StorageException(Reason.ALREADY_EXISTS, "A value that must be unique is taken"
                        + context + "; choose another id or username.", e);
            case SQLITE_READONLY:
            case SQLITE_CANTOPEN:
            case SQLITE_IOERR:
            case SQLITE_FULL:
                return new StorageException(Reason.UNAVAILABLE, "Cannot read or write the file" + context + " ("
                        + e.getMessage() + "); check that the disk has space and the file and its directory"
                        + " are writable.", e);
            default:
                return StorageException.internal("Unexpected SQLite error" + context + ": " + e.getMessage(), e);
        }
    }

    static StorageException notADatabase(Path db, Throwable cause) {
        return new StorageException(Reason.INVALID_INPUT, "The file " + db + " is not a SQLite database"
                + " (or its header is destroyed); point the security database setting at the right file, or"
                + " move this one away to start with an empty database.", cause);
    }

    static StorageException corrupt(Path db, Throwable cause) {
        return new StorageException(Reason.CORRUPT, "The security database " + db + " is corrupt; restore it"
                + " from a backup, or salvage it with 'sqlite3 " + db + " .recover' into a new file.", cause);
    }
}
