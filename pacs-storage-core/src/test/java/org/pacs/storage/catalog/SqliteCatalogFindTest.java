package org.pacs.storage.catalog;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.io.TempDir;

class SqliteCatalogFindTest extends AbstractCatalogFindTest {

    @TempDir
    Path dir;

    @Override
    protected JdbcInstanceCatalog open() {
        return JdbcInstanceCatalog.sqlite(dir.resolve("catalog.db"));
    }

    @Override
    protected void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalog.db"));
             Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Override
    protected String namePrefixIndex(boolean caseInsensitive) {
        // GLOB uses the BINARY index; LIKE (ASCII case-insensitive) needs the NOCASE one
        return caseInsensitive ? "ix_instances_patient_name_nocase" : "ix_instances_patient_name ";
    }
}
