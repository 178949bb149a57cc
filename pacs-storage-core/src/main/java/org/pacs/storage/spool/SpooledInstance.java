package org.pacs.storage.spool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;

/**
 * An instance whose bytes sit in a local file, checked and described, ready for a backend to upload or move.
 * When the spooler made a temporary copy, {@link #close()} deletes it unless a backend took it over with
 * {@link #claim()}; when the caller gave a file, that file is only read, never moved or deleted.
 */
public final class SpooledInstance implements AutoCloseable {

    private final Path path;
    private final boolean temporary;
    private final boolean forced;
    private final StoredInstance instance;
    private final DicomDataset attributes;
    private final long headerLength;
    private final org.pacs.storage.StoredHeader storedHeader;
    private final AtomicBoolean owned;

    SpooledInstance(Path path, boolean temporary, boolean forced, StoredInstance instance, DicomDataset attributes,
                    long headerLength, org.pacs.storage.StoredHeader storedHeader) {
        this.path = path;
        this.temporary = temporary;
        this.forced = forced;
        this.instance = instance;
        this.attributes = attributes;
        this.headerLength = headerLength;
        this.storedHeader = storedHeader;
        this.owned = new AtomicBoolean(temporary);
    }

    /** Where the bytes are now: a spool file, or the caller's own file. */
    public Path path() {
        return path;
    }

    /** True when {@link #path()} is a spool file this object may move or delete. */
    public boolean isTemporary() {
        return temporary;
    }

    /** True when the spool file's bytes were forced to disk before it was closed: a rename need not force it. */
    public boolean forced() {
        return forced;
    }

    /** UIDs, size, SHA-256 and transfer syntax; {@code storedAt} is the spooling time. */
    public StoredInstance instance() {
        return instance;
    }

    /** The indexed query attributes ({@link org.pacs.storage.query.IndexedAttributes}); a fresh copy. */
    public DicomDataset attributes() {
        return attributes.copy();
    }

    /** Bytes before Pixel Data (or the whole file without it): what a ranged read of the header needs. */
    public long headerLength() {
        return headerLength;
    }

    /**
     * What the catalog keeps of the header, committed with the instance's row so metadata and frames need no
     * full read of its tier; empty for a deflated data set or a header over {@link
     * org.pacs.storage.StoredHeader#MAX_HEADER_BYTES} (one per store in flight: bounded memory).
     */
    public java.util.Optional<org.pacs.storage.StoredHeader> storedHeader() {
        return java.util.Optional.ofNullable(storedHeader);
    }

    /** The exact bytes, from the start. */
    public InputStream openStream() {
        try {
            return Files.newInputStream(path);
        } catch (IOException e) {
            throw StorageException.internal("Could not reopen spooled instance " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Takes over a temporary spool file (e.g. to rename it into place): afterwards {@link #close()} leaves it
     * alone. Returns false for a caller's file, which must be copied instead.
     */
    public boolean claim() {
        return temporary && owned.compareAndSet(true, false);
    }

    /** Deletes the spool file unless it was claimed; idempotent. */
    @Override
    public void close() {
        if (owned.compareAndSet(true, false)) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not delete spool file " + path, e);
            }
        }
    }
}
