package org.pacs.storage.blob;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a store says about one blob without its bytes. {@code storageClass} is the provider's class or tier
 * ("STANDARD", "GLACIER", "Archive"), empty for stores without classes; {@code metadata} is what was put with
 * the blob (see {@link org.pacs.storage.index.InstanceMetadata}), possibly empty in a listing.
 */
public record BlobInfo(String key, long size, Instant lastModified, String storageClass, Map<String, String> metadata) {

    public BlobInfo {
        Objects.requireNonNull(key, "key");
        if (size < 0) {
            throw new IllegalArgumentException("size < 0");
        }
        lastModified = lastModified == null ? Instant.EPOCH : lastModified;
        storageClass = storageClass == null ? "" : storageClass;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public static BlobInfo of(String key, long size, Instant lastModified) {
        return new BlobInfo(key, size, lastModified, "", Map.of());
    }
}
