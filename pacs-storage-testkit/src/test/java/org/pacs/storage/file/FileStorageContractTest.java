package org.pacs.storage.file;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.testkit.AbstractFileBackedStorageTest;
import org.pacs.storage.testkit.ForkedBackend;

import static org.assertj.core.api.Assertions.assertThat;

/** FileStorage passes the whole backend contract, fsync on as deployed. */
class FileStorageContractTest extends AbstractFileBackedStorageTest {

    private final AtomicInteger roots = new AtomicInteger();

    @Override
    protected StorageBackend createBackend(DuplicatePolicy policy) {
        Path root = tempDir.resolve("root-" + roots.incrementAndGet());
        return new FileStorage(FileStorageConfig.of(root).withDuplicatePolicy(policy));
    }

    @Override
    protected Path storedFile(StorageBackend b, StoredInstance i) {
        FileStorageConfig c = ((FileStorage) b).config();
        return c.root().resolve(c.layout().relativePath(i));
    }

    @Override
    protected ForkedBackend forkedBackend(Path scratchDir) {
        // fsync off only here: the test proves streaming in a small heap, and forcing 2 GiB to disk would
        // only add minutes to CI.
        return new ForkedBackend("file", Map.of(FileStorageProvider.ROOT, scratchDir.toString(),
                FileStorageProvider.FSYNC, "false"));
    }

    @Override
    protected void assertNothingStored(StorageBackend b) {
        super.assertNothingStored(b);
        Path root = ((FileStorage) b).config().root();
        try (var s = Files.list(root.resolve(".tmp"))) {
            // the live archive's store journal (intents-*.slots) is the only file that stays
            assertThat(s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList())
                    .as("spool files left behind").isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
