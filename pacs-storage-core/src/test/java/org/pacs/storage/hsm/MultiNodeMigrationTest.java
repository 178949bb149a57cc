package org.pacs.storage.hsm;

import java.io.IOException;
import java.util.Set;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;

/** The two-node test with the shared warm tier on a file root beside the shared hot one. */
class MultiNodeMigrationTest extends AbstractMultiNodeMigrationTest {

    @Override
    protected String warmSpec() {
        return dir.resolve("a/warm").toString();
    }

    @Override
    protected StorageBackend warmBackend() {
        return new FileStorage(FileStorageConfig.of(dir.resolve("a/warm")).withFsync(false));
    }

    @Override
    protected Set<String> warmUids() throws IOException {
        return uidsIn(dir.resolve("a/warm"));
    }
}
