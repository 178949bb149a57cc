package org.pacs.storage.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteInstanceCatalogTest extends AbstractInstanceCatalogTest {

    @TempDir
    Path dir;

    @Override
    protected InstanceCatalog open() {
        return JdbcInstanceCatalog.sqlite(dir.resolve("catalog.db"));
    }

    @Test
    void reopeningKeepsRowsAndSchemaVersionAndUsesWal() throws Exception {
        catalog.insert(CatalogTestData.entry("1.2.3", "1.2", "1.2.4", "P", null, 1, T0));
        catalog.close();
        catalog = open();
        assertThat(catalog.get(org.pacs.storage.SopInstanceUid.of("1.2.3"))).isPresent();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalog.db"));
             Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*), MAX(version) FROM schema_version")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(CatalogSchema.STEPS.size());
                assertThat(rs.getInt(2)).isEqualTo(CatalogSchema.STEPS.get(CatalogSchema.STEPS.size() - 1).version());
            }
            try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualToIgnoringCase("wal");
            }
        }
    }

    @Test
    void everySharedIndexedAttributeHasAColumn() {
        // a new attribute in IndexedAttributes needs a new CatalogSchema step adding its column
        assertThat(CatalogAttributes.missingColumns()).isEmpty();
    }
}
