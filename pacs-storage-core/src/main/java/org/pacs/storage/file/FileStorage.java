package org.pacs.storage.file;

import java.nio.file.Files;
import java.nio.file.Path;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.hsm.CataloguedStorage;
import org.pacs.storage.hsm.HsmStorageConfig;

/**
 * Instances as files under a root directory (spec §10.3): a {@link FileBlobStore} plus an embedded SQLite
 * catalog in {@code root/.pacs-catalog.db}, the only index. Nothing is loaded at open, so opening costs the same
 * at 20 instances and at 20 million, and several processes can work on one root at once (the catalog
 * serialises what must be serialised). A root that has instance files but no catalog yet (made by an older
 * version, or whose catalog was deleted) is catalogued from its files at the first open.
 */
public final class FileStorage extends CataloguedStorage {

    private final FileStorageConfig config;

    public FileStorage(FileStorageConfig config) {
        this(new FileBlobStore(config));
    }

    private FileStorage(FileBlobStore blobs) {
        this(blobs, blobs.root().resolve(FileTree.CATALOG_FILE));
    }

    private FileStorage(FileBlobStore blobs, Path catalog) {
        super(blobs, () -> JdbcInstanceCatalog.sqlite(catalog), HsmStorageConfig.defaults()
                .withDuplicatePolicy(blobs.config().duplicatePolicy()), !Files.exists(catalog));
        this.config = blobs.config();
    }

    public FileStorageConfig config() {
        return config;
    }
}
