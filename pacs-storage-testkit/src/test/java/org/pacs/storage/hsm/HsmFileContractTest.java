package org.pacs.storage.hsm;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;
import org.pacs.storage.testkit.AbstractFileBackedStorageTest;
import org.pacs.storage.testkit.ForkedBackend;

/** HsmStorage with every tier on FileStorage and a SQLite catalog passes the whole backend contract. */
class HsmFileContractTest extends AbstractFileBackedStorageTest {

    private final AtomicInteger roots = new AtomicInteger();

    @Override
    protected StorageBackend createBackend(DuplicatePolicy policy) {
        Path dir = tempDir.resolve("hsm-" + roots.incrementAndGet());
        return HsmFixture.open(dir, HsmStorageConfig.defaults().withNodeId("contract").withDuplicatePolicy(policy));
    }

    /** The file of an instance in the tier the catalog names. */
    @Override
    protected Path storedFile(StorageBackend b, StoredInstance i) {
        HsmStorage hsm = (HsmStorage) b;
        StorageTier tier = hsm.getTier(i.sopInstanceUid()).orElseThrow();
        FileStorageConfig c = ((org.pacs.storage.file.FileBlobStore) hsm.tierStore(tier)).config();
        return c.root().resolve(c.layout().relativePath(i));
    }

    @Override
    protected ForkedBackend forkedBackend(Path scratchDir) {
        return new ForkedBackend("hsm-file", Map.of("root", scratchDir.toString()));
    }
}
