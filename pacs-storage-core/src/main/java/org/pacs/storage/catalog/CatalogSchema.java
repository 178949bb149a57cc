package org.pacs.storage.catalog;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.pacs.storage.StorageException;

/**
 * The versioned catalog schema. Each step runs once, in order, in its own transaction, and records its version;
 * a new step is appended here, never edited in place, so every existing catalog upgrades at its next start.
 * Times are epoch milliseconds (BIGINT) so both databases compare and index them the same way.
 */
final class CatalogSchema {

    /** One upgrade: its version, statements for both databases, then those only one of them has. */
    record Step(int version, List<String> statements, List<String> sqliteOnly, List<String> postgresOnly) {

        Step(int version, List<String> statements) {
            this(version, statements, List.of(), List.of());
        }

        List<String> statements(SqlDialect dialect) {
            List<String> all = new java.util.ArrayList<>(statements);
            all.addAll(dialect == SqlDialect.SQLITE ? sqliteOnly : postgresOnly);
            return all;
        }
    }

    static final List<Step> STEPS = List.of(
            new Step(1, List.of(
                    "CREATE TABLE instances ("
                            + " sop_instance_uid VARCHAR(64) NOT NULL PRIMARY KEY,"
                            + " study_uid VARCHAR(64) NOT NULL,"
                            + " series_uid VARCHAR(64) NOT NULL,"
                            + " sop_class_uid VARCHAR(64) NOT NULL,"
                            + " transfer_syntax_uid VARCHAR(64) NOT NULL,"
                            + attributeColumns(CatalogAttributes.V1_COLUMNS)
                            + " tier VARCHAR(8) NOT NULL,"
                            + " location TEXT NOT NULL,"
                            + " size_bytes BIGINT NOT NULL,"
                            + " sha256 CHAR(64) NOT NULL,"
                            + " stored_at BIGINT NOT NULL,"
                            + " last_accessed BIGINT,"
                            // last access, else store time: the policy's idle clock, kept as one indexed column
                            + " last_activity BIGINT NOT NULL,"
                            + " migration_state VARCHAR(16) NOT NULL,"
                            + " migration_source VARCHAR(8),"
                            + " migration_target VARCHAR(8),"
                            + " claim_owner VARCHAR(128),"
                            + " lease_expiry BIGINT)",
                    "CREATE INDEX ix_instances_patient_id ON instances (PatientID)",
                    "CREATE INDEX ix_instances_patient_name ON instances (PatientName)",
                    "CREATE INDEX ix_instances_study_uid ON instances (study_uid)",
                    "CREATE INDEX ix_instances_series_uid ON instances (series_uid)",
                    "CREATE INDEX ix_instances_accession ON instances (AccessionNumber)",
                    "CREATE INDEX ix_instances_study_date ON instances (StudyDate)",
                    "CREATE INDEX ix_instances_policy ON instances (tier, migration_state, last_activity)",
                    "CREATE INDEX ix_instances_migration ON instances (migration_state)",
                    "CREATE TABLE counters (name VARCHAR(64) NOT NULL PRIMARY KEY, value BIGINT NOT NULL)")),
            // find pushes date ranges and name prefixes into SQL (CatalogWhere): the date index is on the
            // expression the matcher compares (ACR-NEMA dots removed), byte-ordered; the name indexes serve LIKE
            // prefixes (SQLite's LIKE needs a NOCASE index, PostgreSQL's a pattern-ops one, and lower() for
            // case-insensitive names, which ILIKE could not use)
            new Step(2, List.of(),
                    // covering for a date-range page: SQLite reads the page's studies from the index alone
                    List.of("CREATE INDEX ix_instances_study_date_key ON instances ("
                                    + CatalogWhere.normalized(org.pacs.storage.dicom.VR.DA, "StudyDate")
                                    + ", study_uid, sop_instance_uid, migration_state)",
                            "CREATE INDEX ix_instances_patient_name_nocase ON instances (PatientName COLLATE NOCASE)"),
                    // covering too (INCLUDE, PostgreSQL 11+), StudyDate itself included: the planner considers an
                    // index-only scan for an expression only when the columns it reads are in the index
                    List.of("CREATE INDEX ix_instances_study_date_key ON instances (("
                                    + CatalogWhere.normalized(org.pacs.storage.dicom.VR.DA, "StudyDate") + ") COLLATE \"C\")"
                                    + " INCLUDE (StudyDate, study_uid, sop_instance_uid, migration_state)",
                            "CREATE INDEX ix_instances_patient_name_pattern ON instances (PatientName text_pattern_ops)",
                            "CREATE INDEX ix_instances_patient_name_lower ON instances"
                                    + " (lower(PatientName) text_pattern_ops)")),
            // the header of each instance, kept at ingest in the row's own transaction (CatalogHeaders), so
            // WADO-RS metadata needs no request to a tier and a frame is one ranged read; deleted with its row
            new Step(3, List.of(),
                    List.of("CREATE TABLE instance_headers (sop_instance_uid VARCHAR(64) NOT NULL PRIMARY KEY,"
                            + " header BLOB NOT NULL, frame_offsets BLOB)"),
                    List.of("CREATE TABLE instance_headers (sop_instance_uid VARCHAR(64) NOT NULL PRIMARY KEY,"
                            + " header BYTEA NOT NULL, frame_offsets BYTEA)")),
            // which tiers hold a copy: the home tier is the row's tier; hot_copy = 1 says hot holds a verified cache
            // copy besides (watermark release, recall on read). One column keeps one index and a constant-time open;
            // the partial index serves the release pass, "oldest access first among instances cached in hot"
            new Step(4, List.of(
                    "ALTER TABLE instances ADD COLUMN hot_copy SMALLINT NOT NULL DEFAULT 0",
                    "CREATE INDEX ix_instances_hot_copy ON instances (last_activity, sop_instance_uid)"
                            + " WHERE hot_copy = 1")),
            // a CRC32C of the stored bytes, taken at ingest beside the SHA-256 (NULL for rows catalogued before):
            // a copy between tiers checks it, which costs a thirtieth of hashing the bytes again (MigrationBench)
            new Step(5, List.of("ALTER TABLE instances ADD COLUMN crc32c BIGINT")));

    private CatalogSchema() {
    }

    /** " Name TEXT," per attribute column; names are DICOM keywords (letters only), never user input. */
    private static String attributeColumns(List<String> names) {
        StringBuilder b = new StringBuilder();
        for (String n : names) {
            b.append(' ').append(n).append(" TEXT,");
        }
        return b.toString();
    }

    /** Brings the schema to the latest version; safe when several nodes start at once. */
    static void migrate(CatalogConnections pool, SqlDialect dialect) {
        pool.withConnection(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY,"
                        + " applied_at BIGINT NOT NULL)");
            } catch (SQLException e) {
                // another node may have created it at the same moment (PostgreSQL races on the catalog)
                if (!tableExists(c)) {
                    throw e;
                }
            }
            return null;
        });
        for (Step step : STEPS) {
            pool.inTransaction(c -> {
                if (dialect == SqlDialect.POSTGRESQL) {
                    try (Statement s = c.createStatement()) {
                        s.execute("LOCK TABLE schema_version IN EXCLUSIVE MODE");
                    }
                }
                if (currentVersion(c) >= step.version()) {
                    return null;
                }
                try (Statement s = c.createStatement()) {
                    for (String sql : step.statements(dialect)) {
                        s.execute(sql);
                    }
                    s.execute("INSERT INTO schema_version (version, applied_at) VALUES (" + step.version() + ", "
                            + System.currentTimeMillis() + ")");
                }
                return null;
            });
        }
        int found = pool.withConnection(CatalogSchema::currentVersion);
        int latest = STEPS.get(STEPS.size() - 1).version();
        if (found > latest) {
            throw new StorageException(StorageException.Reason.UNSUPPORTED, "The catalog has schema version "
                    + found + " but this program knows only up to " + latest + "; upgrade pacs-storage.");
        }
    }

    static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            return rs.next() ? rs.getInt(1) : 0;
        }
    }

    private static boolean tableExists(Connection c) {
        try (ResultSet rs = c.getMetaData().getTables(null, null, "schema_version", null)) {
            return rs.next();
        } catch (SQLException e) {
            return false;
        }
    }
}
