package org.pacs.storage.catalog;

class PostgresInstanceCatalogTest extends AbstractInstanceCatalogTest {

    @Override
    protected InstanceCatalog open() {
        return JdbcInstanceCatalog.postgres(PostgresFixture.freshDatabase(), 4);
    }
}
