package org.pacs.storage.catalog;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.hsm.StorageTier;

/** Maps catalog rows to {@link CatalogEntry} and back; the column order lives only here. */
final class CatalogRows {

    private static final Integer[] HEADER_TAGS = CatalogAttributes.COLUMNS.keySet().toArray(new Integer[0]);

    static final String COLUMNS;
    static final String INSERT;
    static final String REPLACE;

    static {
        StringBuilder cols = new StringBuilder("sop_instance_uid, study_uid, series_uid, sop_class_uid,"
                + " transfer_syntax_uid");
        for (Integer tag : HEADER_TAGS) {
            cols.append(", ").append(CatalogAttributes.COLUMNS.get(tag));
        }
        cols.append(", tier, location, size_bytes, sha256, crc32c, stored_at, last_accessed, last_activity,"
                + " migration_state, migration_source, migration_target, claim_owner, lease_expiry, hot_copy");
        COLUMNS = cols.toString();
        int n = COLUMNS.split(",").length;
        INSERT = "INSERT INTO instances (" + COLUMNS + ") VALUES (" + "?, ".repeat(n - 1) + "?)"
                + " ON CONFLICT (sop_instance_uid) DO NOTHING";
        StringBuilder set = new StringBuilder("UPDATE instances SET study_uid = ?, series_uid = ?, sop_class_uid = ?,"
                + " transfer_syntax_uid = ?");
        for (Integer tag : HEADER_TAGS) {
            set.append(", ").append(CatalogAttributes.COLUMNS.get(tag)).append(" = ?");
        }
        set.append(", tier = ?, location = ?, size_bytes = ?, sha256 = ?, crc32c = ?, stored_at = ?, last_accessed = NULL,"
                + " hot_copy = 0, last_activity = ? WHERE sop_instance_uid = ? AND migration_state = 'NONE'");
        REPLACE = set.toString();
    }

    static void bindReplace(PreparedStatement ps, CatalogEntry e) throws SQLException {
        StoredInstance s = e.instance();
        int i = bindContent(ps, 1, e);
        ps.setLong(i++, s.storedAt().toEpochMilli());
        ps.setString(i, s.sopInstanceUid().value());
    }

    private CatalogRows() {
    }

    /** The columns insert and replace share, study UID through stored_at; returns the next index. */
    private static int bindContent(PreparedStatement ps, int first, CatalogEntry e) throws SQLException {
        StoredInstance s = e.instance();
        int i = first;
        ps.setString(i++, s.studyInstanceUid());
        ps.setString(i++, s.seriesInstanceUid());
        ps.setString(i++, s.sopClassUid());
        ps.setString(i++, s.transferSyntaxUid());
        for (Integer tag : HEADER_TAGS) {
            ps.setString(i++, e.attributes().get(tag));
        }
        ps.setString(i++, e.tier().name());
        ps.setString(i++, e.location());
        ps.setLong(i++, s.sizeBytes());
        ps.setString(i++, s.sha256());
        if (s.hasCrc32c()) {
            ps.setLong(i++, s.crc32c());
        } else {
            ps.setNull(i++, Types.BIGINT);
        }
        ps.setLong(i++, s.storedAt().toEpochMilli());
        return i;
    }

    static void bindInsert(PreparedStatement ps, CatalogEntry e) throws SQLException {
        StoredInstance s = e.instance();
        ps.setString(1, s.sopInstanceUid().value());
        int i = bindContent(ps, 2, e);
        setMillis(ps, i++, e.lastAccessed());
        ps.setLong(i++, (e.lastAccessed() != null ? e.lastAccessed() : s.storedAt()).toEpochMilli());
        ps.setString(i++, e.migrationState().name());
        ps.setString(i++, e.migrationSource() == null ? null : e.migrationSource().name());
        ps.setString(i++, e.migrationTarget() == null ? null : e.migrationTarget().name());
        ps.setString(i++, e.claimOwner());
        setMillis(ps, i++, e.leaseExpiry());
        ps.setInt(i, e.hotCopy() ? 1 : 0);
    }

    static CatalogEntry read(ResultSet rs) throws SQLException {
        int i = 1;
        SopInstanceUid uid = SopInstanceUid.of(rs.getString(i++));
        String study = rs.getString(i++);
        String series = rs.getString(i++);
        String sopClass = rs.getString(i++);
        String ts = rs.getString(i++);
        Map<Integer, String> attrs = new HashMap<>();
        for (Integer tag : HEADER_TAGS) {
            String v = rs.getString(i++);
            if (v != null) {
                attrs.put(tag, v);
            }
        }
        StorageTier tier = StorageTier.valueOf(rs.getString(i++));
        String location = rs.getString(i++);
        long size = rs.getLong(i++);
        String sha = rs.getString(i++);
        long crc = rs.getLong(i++);
        crc = rs.wasNull() ? StoredInstance.NO_CRC32C : crc;
        Instant storedAt = Instant.ofEpochMilli(rs.getLong(i++));
        Instant lastAccessed = millis(rs, i++);
        i++; // last_activity is derived
        MigrationState state = MigrationState.valueOf(rs.getString(i++));
        StorageTier source = tier(rs.getString(i++));
        StorageTier target = tier(rs.getString(i++));
        String owner = rs.getString(i++);
        Instant lease = millis(rs, i++);
        boolean hotCopy = rs.getInt(i) != 0;
        StoredInstance inst = new StoredInstance(uid, study, series, sopClass, ts, size, sha, storedAt, crc);
        return new CatalogEntry(inst, attrs, tier, location, lastAccessed, state, source, target, owner, lease,
                hotCopy);
    }

    private static StorageTier tier(String s) {
        return s == null ? null : StorageTier.valueOf(s);
    }

    private static Instant millis(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static void setMillis(PreparedStatement ps, int i, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, t.toEpochMilli());
        }
    }
}
