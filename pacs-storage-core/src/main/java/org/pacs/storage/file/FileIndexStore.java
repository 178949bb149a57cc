package org.pacs.storage.file;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.index.IndexEntry;
import org.pacs.storage.query.IndexedAttribute;
import org.pacs.storage.query.IndexedAttributes;

/**
 * FileStorage's persistent index: one SQLite file under the root, written through on every change. SQLite in
 * WAL mode gives atomic, crash-safe commits for free (with synchronous=FULL when fsync is on), and the file
 * is only a cache of what the instance files say: when it is missing or unreadable FileStorage rebuilds it
 * from the files' headers.
 * <p>A row's {@code state} makes the two multi-step changes recoverable: REPLACING is set before a file is
 * overwritten in place (a crash leaves either version on disk, so the row is re-read from the file at
 * open), REMOVING before a file is deleted (the delete is finished at open). Thread-safe: one connection, every
 * call synchronized (SQLite serialises writers anyway).
 */
final class FileIndexStore implements AutoCloseable {

    static final int OK = 0;
    static final int REPLACING = 1;
    static final int REMOVING = 2;

    private static final List<IndexedAttribute> ATTRS = IndexedAttributes.stored();

    private final Connection db;
    private final String synchronous;
    private PreparedStatement upsert;

    private FileIndexStore(Connection db, String synchronous) {
        this.db = db;
        this.synchronous = synchronous;
    }

    /** Opens or creates the index; SQLException means the file is unusable and should be rebuilt. */
    static FileIndexStore open(Path file, boolean fsync, FileLayout layout) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=" + synchronous(fsync));
                StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS instance (sop_uid TEXT PRIMARY KEY,"
                        + " study_uid TEXT NOT NULL, series_uid TEXT NOT NULL, sop_class_uid TEXT NOT NULL,"
                        + " transfer_syntax_uid TEXT NOT NULL, size_bytes INTEGER NOT NULL, sha256 TEXT NOT NULL,"
                        + " stored_at TEXT NOT NULL, state INTEGER NOT NULL DEFAULT 0");
                for (IndexedAttribute a : ATTRS) {
                    ddl.append(", a_").append(a.columnName()).append(" TEXT");
                }
                s.execute(ddl.append(")").toString());
                s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                s.execute("INSERT OR IGNORE INTO meta VALUES ('layout', '" + layout.name() + "')");
                // Forces a read of every page header: a damaged file fails here rather than later.
                try (ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
                    if (!rs.next() || !"ok".equals(rs.getString(1))) {
                        throw new SQLException("quick_check failed");
                    }
                }
            }
            return new FileIndexStore(c, synchronous(fsync));
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    private static String synchronous(boolean fsync) {
        return fsync ? "FULL" : "OFF";
    }

    /** The layout the root was created with. */
    synchronized FileLayout layout() throws SQLException {
        try (Statement s = db.createStatement();
             ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'layout'")) {
            return rs.next() ? FileLayout.valueOf(rs.getString(1)) : null;
        }
    }

    /** Every row, with its state. */
    synchronized List<Row> loadAll() throws SQLException {
        List<Row> out = new ArrayList<>();
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM instance")) {
            while (rs.next()) {
                StoredInstance i = new StoredInstance(SopInstanceUid.of(rs.getString("sop_uid")),
                        rs.getString("study_uid"), rs.getString("series_uid"), rs.getString("sop_class_uid"),
                        rs.getString("transfer_syntax_uid"), rs.getLong("size_bytes"), rs.getString("sha256"),
                        Instant.parse(rs.getString("stored_at")));
                DicomDataset attrs = new DicomDataset();
                for (IndexedAttribute a : ATTRS) {
                    String v = rs.getString("a_" + a.columnName());
                    if (v != null) {
                        attrs.set(a.tag(), a.vr(), a.vr().isSingleValuedText() ? new String[] {v} : v.split("\\\\", -1));
                    }
                }
                out.add(new Row(new IndexEntry(i, attrs), rs.getInt("state")));
            }
        }
        return out;
    }

    private static String upsertSql() {
        StringBuilder sql = new StringBuilder("INSERT OR REPLACE INTO instance (sop_uid, study_uid, series_uid,"
                + " sop_class_uid, transfer_syntax_uid, size_bytes, sha256, stored_at, state");
        StringBuilder params = new StringBuilder("?, ?, ?, ?, ?, ?, ?, ?, 0");
        for (IndexedAttribute a : ATTRS) {
            sql.append(", a_").append(a.columnName());
            params.append(", ?");
        }
        return sql.append(") VALUES (").append(params).append(")").toString();
    }

    synchronized void upsert(IndexEntry e) {
        StoredInstance i = e.instance();
        DicomDataset attrs = e.attributes();
        try {
            // Prepared once: parsing a 40-column INSERT costs as much as running it.
            if (upsert == null) {
                upsert = db.prepareStatement(upsertSql());
            }
            PreparedStatement ps = upsert;
            ps.setString(1, i.sopInstanceUid().value());
            ps.setString(2, i.studyInstanceUid());
            ps.setString(3, i.seriesInstanceUid());
            ps.setString(4, i.sopClassUid());
            ps.setString(5, i.transferSyntaxUid());
            ps.setLong(6, i.sizeBytes());
            ps.setString(7, i.sha256());
            ps.setString(8, i.storedAt().toString());
            int p = 9;
            for (IndexedAttribute a : ATTRS) {
                List<String> v = attrs.getStrings(a.tag());
                ps.setString(p++, v.isEmpty() ? null : String.join("\\", v));
            }
            ps.executeUpdate();
        } catch (SQLException ex) {
            throw failure("record instance " + i.sopInstanceUid(), ex);
        }
    }

    synchronized void setState(SopInstanceUid uid, int state) {
        try (PreparedStatement ps = db.prepareStatement("UPDATE instance SET state = ? WHERE sop_uid = ?")) {
            ps.setInt(1, state);
            ps.setString(2, uid.value());
            ps.executeUpdate();
        } catch (SQLException ex) {
            throw failure("mark instance " + uid, ex);
        }
    }

    /**
     * A state change committed without waiting for the disk: it survives a process crash (the OS has it), and
     * the next synced commit makes it durable with everything before it (one WAL, written in order). NORMAL,
     * not OFF: in WAL mode both skip the commit's fsync, but OFF would also let a checkpoint that this commit
     * triggers copy unsynced pages into the database file, which a power cut can leave corrupt. (Only batches
     * call this, and FileStorage batches only with fsync on, so the setting it returns to is FULL.)
     */
    synchronized void setStateUnsynced(SopInstanceUid uid, int state) {
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA synchronous=NORMAL");
            try {
                setState(uid, state);
            } finally {
                s.execute("PRAGMA synchronous=" + synchronous);
            }
        } catch (SQLException ex) {
            throw failure("mark instance " + uid, ex);
        }
    }

    /** Writes {@code rows} and deletes {@code deleted} in one transaction (a batch commit). */
    synchronized void apply(List<IndexEntry> rows, List<SopInstanceUid> deleted) {
        try {
            db.setAutoCommit(false);
            for (IndexEntry e : rows) {
                upsert(e);
            }
            for (SopInstanceUid uid : deleted) {
                delete(uid);
            }
            db.commit();
        } catch (SQLException | RuntimeException ex) {
            try {
                db.rollback();
            } catch (SQLException suppressed) {
                ex.addSuppressed(suppressed);
            }
            if (ex instanceof SQLException sql) {
                throw failure("record a batch of changes", sql);
            }
            throw (RuntimeException) ex;
        } finally {
            try {
                db.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the connection is broken; the next statement reports it
            }
        }
    }

    synchronized void delete(SopInstanceUid uid) {
        try (PreparedStatement ps = db.prepareStatement("DELETE FROM instance WHERE sop_uid = ?")) {
            ps.setString(1, uid.value());
            ps.executeUpdate();
        } catch (SQLException ex) {
            throw failure("remove instance " + uid, ex);
        }
    }

    /** Writes many rows in one transaction: a rebuild of 100,000 files must not pay one commit each. */
    void upsertAll(List<IndexEntry> entries) {
        apply(entries, List.of());
    }

    @Override
    public void close() {
        try {
            db.close();
        } catch (SQLException ignored) {
            // closing a broken connection: nothing left to release
        }
    }

    private static StorageException failure(String what, SQLException e) {
        return StorageException.unavailable("Could not " + what + " in the FileStorage index (" + e.getMessage()
                + "); check the disk under the storage root. The instance files are intact; deleting the index"
                + " file makes the next open rebuild it.", e);
    }

    record Row(IndexEntry entry, int state) {
    }
}
