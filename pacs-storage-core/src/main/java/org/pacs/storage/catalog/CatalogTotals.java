package org.pacs.storage.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.EnumMap;
import java.util.Map;
import org.pacs.storage.StorageStatistics;
import org.pacs.storage.hsm.StorageTier;

/** The catalog's aggregate queries: totals per tier and overall, rows being removed left out. */
final class CatalogTotals {

    private CatalogTotals() {
    }

    static Map<StorageTier, InstanceCatalog.TierUsage> tierUsage(Connection c) throws SQLException {
        Map<StorageTier, InstanceCatalog.TierUsage> m = new EnumMap<>(StorageTier.class);
        try (PreparedStatement ps = c.prepareStatement("SELECT tier, COUNT(*), COALESCE(SUM(size_bytes), 0)"
                + " FROM instances WHERE migration_state <> 'REMOVING' GROUP BY tier");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                m.put(StorageTier.valueOf(rs.getString(1)), new InstanceCatalog.TierUsage(rs.getLong(2),
                        rs.getLong(3)));
            }
        }
        return m;
    }

    /** Count and bytes of the hot tier's cache copies (rows whose home is warm or cold), by the partial index. */
    static InstanceCatalog.TierUsage hotCopies(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(size_bytes), 0)"
                + " FROM instances WHERE hot_copy = 1 AND migration_state <> 'REMOVING'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new InstanceCatalog.TierUsage(rs.getLong(1), rs.getLong(2));
        }
    }

    static StorageStatistics statistics(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(size_bytes), 0),"
                + " COUNT(DISTINCT study_uid), COUNT(DISTINCT series_uid), COUNT(DISTINCT COALESCE(PatientID, ''))"
                + " FROM instances WHERE migration_state <> 'REMOVING'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new StorageStatistics(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5));
        }
    }
}
