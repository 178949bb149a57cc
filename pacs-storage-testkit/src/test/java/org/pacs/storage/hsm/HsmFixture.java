package org.pacs.storage.hsm;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;

/** HsmStorage over three FileStorage roots and a SQLite catalog under one directory. */
final class HsmFixture {

    private HsmFixture() {
    }

    static org.pacs.storage.file.FileBlobStore tier(Path dir, StorageTier tier) {
        return new org.pacs.storage.file.FileBlobStore(FileStorageConfig.of(dir.resolve(tier.name().toLowerCase())));
    }

    static HsmStorage open(Path dir, HsmStorageConfig config) {
        Map<StorageTier, org.pacs.storage.blob.BlobStore> tiers = new EnumMap<>(StorageTier.class);
        for (StorageTier t : StorageTier.values()) {
            tiers.put(t, tier(dir, t));
        }
        return new HsmStorage(tiers, JdbcInstanceCatalog.sqlite(dir.resolve("catalog.db")), config);
    }

    static HsmStorageConfig config(TestClock clock) {
        return HsmStorageConfig.defaults().withClock(clock).withNodeId("test-node");
    }
}
