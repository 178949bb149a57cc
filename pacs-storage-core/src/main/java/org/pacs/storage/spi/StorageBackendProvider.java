package org.pacs.storage.spi;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;

/**
 * How a backend module plugs in: one implementation per module, listed in
 * {@code META-INF/services/org.pacs.storage.spi.StorageBackendProvider}. The CLI and configuration find
 * backends only through this, so a new backend is one module plus one contract-test subclass.
 */
public interface StorageBackendProvider {

    /** The configuration {@code type:} value, e.g. "file", "s3", "azure". */
    String type();

    /** Every accepted setting key (kebab-case names of the spec's fields), for validation and help. */
    Set<String> settingKeys();

    /** Keys whose values are secrets: masked by {@code config show}, never logged. */
    Set<String> secretKeys();

    /**
     * Builds a backend. Values are strings as written in the configuration (sizes like "100MiB" and durations
     * like "30s" are accepted where the field is a size or duration). A bad or missing value raises
     * INVALID_INPUT naming the key and the accepted values.
     */
    StorageBackend create(Map<String, String> settings);

    /**
     * The blob store the settings describe, for a tier of an archive whose catalog is shared: the default builds
     * the backend and takes its store, without ever opening the backend's own catalog.
     */
    default org.pacs.storage.blob.BlobStore createBlobStore(Map<String, String> settings) {
        StorageBackend b = create(settings);
        if (b instanceof org.pacs.storage.blob.BlobBacked bb) {
            return bb.blobStore();
        }
        b.close();
        throw StorageException.invalidInput("Storage type '" + type() + "' has no blob store, so it cannot be a"
                + " tier of an archive.");
    }

    static StorageBackendProvider forType(String type) {
        Set<String> known = new TreeSet<>();
        for (StorageBackendProvider p : ServiceLoader.load(StorageBackendProvider.class)) {
            if (p.type().equals(type)) {
                return p;
            }
            known.add(p.type());
        }
        throw StorageException.invalidInput("Unknown storage type '" + type + "'; accepted: "
                + String.join(", ", known) + ".");
    }
}
