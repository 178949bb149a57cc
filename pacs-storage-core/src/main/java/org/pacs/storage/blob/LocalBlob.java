package org.pacs.storage.blob;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Bytes ready to put: a local file whose size and SHA-256 are known (the spooler computed them while reading the
 * incoming stream), the metadata to keep with it, and whether the store may take the file over (a spool file it
 * may rename) or must only read it (the caller's own file), and whether its bytes are already forced to disk
 * (a spool file the spooler forced: a store that renames it need not reopen it to force it again).
 */
public record LocalBlob(Path path, long size, String sha256, Map<String, String> metadata, boolean movable,
                        boolean forced) {

    public LocalBlob(Path path, long size, String sha256, Map<String, String> metadata, boolean movable) {
        this(path, size, sha256, metadata, movable, false);
    }

    public LocalBlob {
        Objects.requireNonNull(path, "path");
        if (size < 0) {
            throw new IllegalArgumentException("size < 0");
        }
        if (sha256 == null || !Digests.isSha256Hex(sha256)) {
            throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits: " + sha256);
        }
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
