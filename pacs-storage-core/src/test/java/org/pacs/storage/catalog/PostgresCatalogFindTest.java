package org.pacs.storage.catalog;

import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;

class PostgresCatalogFindTest extends AbstractCatalogFindTest {

    private DataSource db;

    @Override
    protected JdbcInstanceCatalog open() {
        db = PostgresFixture.freshDatabase();
        return JdbcInstanceCatalog.postgres(db, 4);
    }

    @Override
    protected void sql(String statement) throws Exception {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Override
    protected String namePrefixIndex(boolean caseInsensitive) {
        return caseInsensitive ? "ix_instances_patient_name_lower" : "ix_instances_patient_name_pattern";
    }
}
