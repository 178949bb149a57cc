package org.pacs.storage.testkit;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StoredInstance;

/**
 * The contract for backends whose instances end up as local files (FileStorage, or HSM with a file hot tier):
 * damage at rest is done to the file itself, so the subclass only says where an instance's file is.
 */
public abstract class AbstractFileBackedStorageTest extends AbstractStorageBackendTest {

    /** The file holding {@code instance}'s bytes right now. */
    protected abstract Path storedFile(StorageBackend backend, StoredInstance instance);

    /** Flips one byte near the end, inside pixel data, so only a re-hash can notice. */
    @Override
    protected void corruptStoredBytes(StorageBackend backend, StoredInstance instance) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(storedFile(backend, instance).toFile(), "rw")) {
            f.seek(f.length() - 10);
            int v = f.read();
            f.seek(f.length() - 10);
            f.write(v ^ 0xFF);
        }
    }

    @Override
    protected void deleteStoredBytes(StorageBackend backend, StoredInstance instance) throws Exception {
        Files.delete(storedFile(backend, instance));
    }
}
