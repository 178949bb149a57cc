package org.pacs.storage.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;
import org.sqlite.SQLiteConfig;

/**
 * {@link SecurityStorage} in one SQLite file.
 *
 * <p>Safe for many threads (one connection, calls serialised) and for many instances and processes on the
 * same file: WAL lets readers run beside the writer, writes take the lock up front with
 * {@code BEGIN IMMEDIATE} and are kept short (password hashing happens before the transaction), and a
 * {@value SqliteErrors#BUSY_TIMEOUT_MILLIS} ms busy timeout absorbs the waiting, so SQLITE_BUSY does not
 * reach callers. Every statement is a {@link PreparedStatement} with bound parameters.
 */
public final class SqliteSecurityStorage implements SecurityStorage {

    /** Compared against when the user is missing, so a failed login costs the same either way. */
    private static final class Decoy {
        static final PasswordHash HASH = PasswordHash.of("decoy-password-never-matches".toCharArray());
    }

    private final Path db;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private Connection connection;

    public SqliteSecurityStorage(Path dbPath) {
        this(dbPath, Clock.systemUTC());
    }

    /** @param clock stamps users and audit entries; injectable so tests can control time */
    public SqliteSecurityStorage(Path dbPath, Clock clock) {
        Identifiers.required(dbPath, "dbPath");
        this.clock = Identifiers.required(clock, "clock");
        this.db = dbPath.toAbsolutePath().normalize();
        this.connection = open(db);
    }

    private static Connection open(Path db) {
        if (Files.isDirectory(db)) {
            throw StorageException.invalidInput("The security database path " + db + " is a directory; give a"
                    + " file path such as " + db.resolve("security.db") + ".");
        }
        try {
            Files.createDirectories(db.getParent());
            org.pacs.storage.spi.PrivateFiles.createOwnerOnly(db); // password hashes and the access trail
        } catch (IOException e) {
            throw StorageException.unavailable("Cannot create the directory of security database " + db + ": "
                    + e.getMessage() + "; create it or choose a writable location.", e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.enforceForeignKeys(true);
        config.setBusyTimeout(SqliteErrors.BUSY_TIMEOUT_MILLIS);
        // nothing reads generated keys; left on, the driver runs "SELECT last_insert_rowid()" after every insert
        config.setGetGeneratedKeys(false);
        Connection c = null;
        try {
            c = config.createConnection("jdbc:sqlite:" + db);
            enableWal(c);
            SqliteSchema.prepare(c, db);
            return c;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c, e);
            throw e instanceof SQLException sql ? SqliteErrors.map(sql, db, "opening") : (RuntimeException) e;
        }
    }

    /** WAL is a property of the file; asking again is a no-op, so every connection may ask. */
    private static void enableWal(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("PRAGMA journal_mode = WAL");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
        }
    }

    @Override
    public User createUser(String actorId, User user) {
        Identifiers.requireValidId("actor id", actorId);
        Identifiers.required(user, "user");
        Instant now = now();
        return write("creating user " + Identifiers.quote(user.id()), c -> {
            if (UserRows.byId(c, db, user.id()).isPresent()) {
                throw new StorageException(Reason.ALREADY_EXISTS, "A user with id " + Identifiers.quote(user.id())
                        + " exists already; choose another id, or use updateUser to change it.");
            }
            requireUsernameFree(c, user.username(), user.id());
            UserRows.insert(c, user, now);
            AuditRows.append(c, now, actorId, AuditAction.CREATE_USER, user.id(), "username " + user.username()
                    + ", roles " + user.roles() + ", active " + user.active()
                    + (user.credential() == null ? "" : ", password set"));
            return stored(c, user.id());
        });
    }

    @Override
    public User getUser(String id) {
        Identifiers.requireValidId("user id", id);
        return withConnection("reading user " + Identifiers.quote(id), c -> UserRows.byId(c, db, id))
                .orElseThrow(() -> notFound(id));
    }

    @Override
    public User getUserByUsername(String username) {
        Identifiers.requireValidUsername(username);
        return withConnection("reading user " + username, c -> UserRows.byUsername(c, db, username))
                .orElseThrow(() -> new StorageException(Reason.NOT_FOUND, "No user has the username " + username
                        + "; list users to see who exists."));
    }

    @Override
    public User updateUser(String actorId, User user) {
        Identifiers.requireValidId("actor id", actorId);
        Identifiers.required(user, "user");
        Instant now = now();
        return write("updating user " + Identifiers.quote(user.id()), c -> {
            User before = UserRows.byId(c, db, user.id()).orElseThrow(() -> notFound(user.id()));
            String detail = changes(before, user);
            if (detail.isEmpty()) {
                return before; // nothing to change, so nothing to audit
            }
            requireUsernameFree(c, user.username(), user.id());
            UserRows.update(c, user, now);
            AuditRows.append(c, now, actorId, AuditAction.UPDATE_USER, user.id(), detail);
            return stored(c, user.id());
        });
    }

    @Override
    public void deleteUser(String actorId, String id) {
        Identifiers.requireValidId("actor id", actorId);
        Identifiers.requireValidId("user id", id);
        Instant now = now();
        write("deleting user " + Identifiers.quote(id), c -> {
            User before = UserRows.byId(c, db, id).orElseThrow(() -> notFound(id));
            UserRows.delete(c, id);
            AuditRows.append(c, now, actorId, AuditAction.DELETE_USER, id,
                    "username " + before.username() + ", roles " + before.roles());
            return null;
        });
    }

    @Override
    public List<User> getUsersByRole(Role role) {
        Identifiers.required(role, "role");
        return withConnection("listing users with role " + role, c -> UserRows.byRole(c, db, role));
    }

    @Override
    public List<User> listUsers() {
        return withConnection("listing users", c -> UserRows.all(c, db));
    }

    @Override
    public void setPassword(String actorId, String id, char[] password) {
        Identifiers.requireValidId("actor id", actorId);
        Identifiers.requireValidId("user id", id);
        PasswordHash hash = PasswordHash.of(password); // slow, so outside the transaction
        changeCredential(actorId, id, hash.encoded(), AuditAction.SET_PASSWORD, "password set");
    }

    @Override
    public void clearPassword(String actorId, String id) {
        Identifiers.requireValidId("actor id", actorId);
        Identifiers.requireValidId("user id", id);
        changeCredential(actorId, id, null, AuditAction.CLEAR_PASSWORD, "password removed");
    }

    private void changeCredential(String actorId, String id, String encoded, AuditAction action, String detail) {
        Instant now = now();
        write("changing the password of user " + Identifiers.quote(id), c -> {
            if (!UserRows.setCredential(c, id, encoded, now)) {
                throw notFound(id);
            }
            AuditRows.append(c, now, actorId, action, id, detail);
            return null;
        });
    }

    @Override
    public boolean verifyPassword(String id, char[] password) {
        Identifiers.requireValidId("user id", id);
        Optional<String> stored = withConnection("checking a password", c -> UserRows.activeCredential(c, id));
        if (stored.isEmpty()) {
            Decoy.HASH.matches(password);
            return false;
        }
        PasswordHash hash = PasswordHash.decode(stored.get(), id);
        if (!hash.matches(password)) {
            return false;
        }
        if (hash.needsUpgrade()) {
            upgrade(id, stored.get(), PasswordHash.of(password));
        }
        return true;
    }

    /** Re-hashes with today's cost after a login proved the password; skipped if it changed meanwhile. */
    private void upgrade(String id, String old, PasswordHash better) {
        Instant now = now();
        write("upgrading the password hash of user " + Identifiers.quote(id), c -> {
            if (UserRows.replaceCredential(c, id, old, better.encoded())) {
                AuditRows.append(c, now, SYSTEM_ACTOR, AuditAction.SET_PASSWORD, id,
                        "password hash upgraded to " + better.iterations() + " iterations");
            }
            return null;
        });
    }

    @Override
    public Optional<User> authenticate(String username, char[] password) {
        Identifiers.requireValidUsername(username);
        Optional<User> user = withConnection("reading user " + username, c -> UserRows.byUsername(c, db, username));
        if (user.isEmpty()) {
            Decoy.HASH.matches(password);
            return Optional.empty();
        }
        return verifyPassword(user.get().id(), password) ? user : Optional.empty();
    }

    @Override
    public User setActive(String actorId, String id, boolean active) {
        Identifiers.requireValidId("actor id", actorId);
        Identifiers.requireValidId("user id", id);
        Instant now = now();
        return write("changing whether user " + Identifiers.quote(id) + " is active", c -> {
            User before = UserRows.byId(c, db, id).orElseThrow(() -> notFound(id));
            if (before.active() == active) {
                return before;
            }
            UserRows.update(c, before.withActive(active), now);
            AuditRows.append(c, now, actorId, AuditAction.SET_ACTIVE, id,
                    "active " + before.active() + " -> " + active);
            return stored(c, id);
        });
    }

    @Override
    public List<AuditEntry> auditLog() {
        return withConnection("reading the audit log", c -> AuditRows.all(c, db));
    }

    @Override
    public List<AuditEntry> auditLog(String userId) {
        Identifiers.requireValidId("user id", userId);
        return withConnection("reading the audit log", c -> AuditRows.forUser(c, db, userId));
    }

    @Override
    public void recordAccess(AccessEvent event) {
        Identifiers.required(event, "event");
        write("recording an access event", c -> {
            AccessEventRows.append(c, event);
            return null;
        });
    }

    @Override
    public void recordAccesses(List<AccessEvent> events) {
        Identifiers.required(events, "events");
        if (events.isEmpty()) {
            return;
        }
        write("recording " + events.size() + " access events", c -> {
            for (AccessEvent e : events) {
                AccessEventRows.append(c, Identifiers.required(e, "event"));
            }
            return null;
        });
    }

    @Override
    public List<AccessEvent> accessEvents(AccessEventQuery query) {
        Identifiers.required(query, "query");
        return withConnection("reading the access events", c -> AccessEventRows.find(c, query));
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (connection != null) {
                connection.close();
                connection = null;
            }
        } catch (SQLException e) {
            throw SqliteErrors.map(e, db, "closing");
        } finally {
            lock.unlock();
        }
    }

    /** The database file this storage uses. */
    public Path path() {
        return db;
    }

    @Override
    public String toString() {
        return "SqliteSecurityStorage[" + db + "]";
    }

    private void requireUsernameFree(Connection c, String username, String ownId) throws SQLException {
        Optional<User> holder = UserRows.byUsername(c, db, username);
        if (holder.isPresent() && !holder.get().id().equals(ownId)) {
            throw new StorageException(Reason.ALREADY_EXISTS, "The username " + username + " is taken (usernames"
                    + " are unique ignoring case, held by " + holder.get().username() + "); choose another.");
        }
    }

    private static String changes(User before, User after) {
        StringBuilder detail = new StringBuilder();
        if (!before.username().equals(after.username())) {
            detail.append("username ").append(before.username()).append(" -> ").append(after.username());
        }
        if (!before.roles().equals(after.roles())) {
            detail.append(detail.length() > 0 ? "; " : "").append("roles ").append(before.roles()).append(" -> ")
                    .append(after.roles());
        }
        if (before.active() != after.active()) {
            detail.append(detail.length() > 0 ? "; " : "").append("active ").append(before.active())
                    .append(" -> ").append(after.active());
        }
        return detail.toString();
    }

    private User stored(Connection c, String id) throws SQLException {
        return UserRows.byId(c, db, id).orElseThrow(() -> notFound(id));
    }

    private static StorageException notFound(String id) {
        return new StorageException(Reason.NOT_FOUND, "No user has the id " + Identifiers.quote(id)
                + "; list users to see who exists.");
    }

    /** Millisecond precision: that is what the database keeps, so what we return equals what we read later. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private <T> T write(String doing, SqliteTx.SqlWork<T> work) {
        return withConnection(doing, c -> SqliteTx.immediate(c, work));
    }

    private <T> T withConnection(String doing, SqliteTx.SqlWork<T> work) {
        lock.lock();
        try {
            if (connection == null) {
                throw StorageException.unavailable("The security storage for " + db + " is closed; open a new"
                        + " SqliteSecurityStorage.", null);
            }
            return work.run(connection);
        } catch (SQLException e) {
            throw SqliteErrors.map(e, db, doing);
        } finally {
            lock.unlock();
        }
    }

    private static void closeQuietly(Connection c, Exception failure) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                failure.addSuppressed(e);
            }
        }
    }
}
