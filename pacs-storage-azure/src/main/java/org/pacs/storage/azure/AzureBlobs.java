package org.pacs.storage.azure;

import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.models.ArchiveStatus;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.DeleteSnapshotsOptionType;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.models.RehydratePriority;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlobSetAccessTierOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.StorageException;

/**
 * Blob-level operations on the configured container, each mapping SDK failures through {@link AzureErrors}.
 * Knows nothing of the index; {@link AzureBlobStorage} decides what to call.
 */
final class AzureBlobs {

    private static final String CONTENT_TYPE = "application/dicom";

    private final AzureConnection conn;
    private final BlockUploader uploader;
    private final int readBlockSize;

    AzureBlobs(AzureConnection conn, BlockUploader uploader, int readBlockSize) {
        this.conn = conn;
        this.uploader = uploader;
        this.readBlockSize = readBlockSize;
    }

    AzureConnection connection() {
        return conn;
    }

    /** Checks that the container is there (creating it when asked), so misconfiguration shows at startup. */
    void checkContainer(boolean create) {
        try {
            if (!conn.containerClient().exists()) {
                if (!create) {
                    throw new StorageException(StorageException.Reason.UNAVAILABLE, "The container does not exist at "
                            + conn.where(null) + ". Check container-name, or create the container (or set"
                            + " create-container=true).");
                }
                conn.containerClient().createIfNotExists();
            }
        } catch (RuntimeException e) {
            throw AzureErrors.map(conn, "check the container", null, e);
        }
    }

    /** True when the account answers and the container exists; never throws. */
    boolean reachable() {
        try {
            return conn.containerClient().exists();
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Uploads a spooled instance. {@code ifAbsent} makes the commit conditional (If-None-Match: *), so two
     * writers racing on one UID cannot both win; the loser gets ALREADY_EXISTS.
     */
    void upload(String blobName, Path file, long size, java.util.Map<String, String> metadata, AzureAccessTier tier,
                boolean ifAbsent) {
        BlobRequestConditions cond = ifAbsent ? new BlobRequestConditions().setIfNoneMatch("*") : null;
        BlockUploader.BlobAttributes attrs = new BlockUploader.BlobAttributes(
                new BlobHttpHeaders().setContentType(CONTENT_TYPE), metadata, tier.toSdk(), cond);
        try {
            uploader.upload(blob(blobName).getBlockBlobClient(), file, size, attrs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.unavailable("Upload of " + conn.where(blobName) + " was interrupted; nothing was"
                    + " committed. Store the instance again.", e);
        } catch (RuntimeException e) {
            throw AzureErrors.map(conn, "upload", blobName, e);
        }
    }

    /**
     * The blob's bytes, streamed in ranged reads of {@code readBlockSize}. The first range is fetched here, so
     * an archived or missing blob fails now with ARCHIVED or NOT_FOUND rather than on the first read.
     */
    InputStream open(String blobName) {
        InputStream in;
        try {
            in = blob(blobName).openInputStream(new BlobInputStreamOptions().setBlockSize(readBlockSize),
                    Context.NONE);
        } catch (RuntimeException e) {
            throw AzureErrors.map(conn, "read", blobName, e);
        }
        return new MappedInputStream(in, e -> {
            throw AzureErrors.map(conn, "read", blobName, e);
        });
    }

    /** {@code count} bytes from {@code offset}, streamed in ranged reads: a header or one frame, no download. */
    InputStream openRange(String blobName, long offset, long count) {
        InputStream in;
        try {
            in = blob(blobName).openInputStream(new BlobInputStreamOptions().setBlockSize(readBlockSize)
                    .setRange(new BlobRange(offset, count)), Context.NONE);
        } catch (RuntimeException e) {
            throw AzureErrors.map(conn, "read a range of", blobName, e);
        }
        return new MappedInputStream(in, e -> {
            throw AzureErrors.map(conn, "read", blobName, e);
        });
    }

    Optional<BlobProperties> properties(String blobName) {
        try {
            return Optional.of(blob(blobName).getProperties());
        } catch (RuntimeException e) {
            StorageException se = AzureErrors.map(conn, "read the properties of", blobName, e);
            if (se.reason() == StorageException.Reason.NOT_FOUND) {
                return Optional.empty();
            }
            throw se;
        }
    }

    /** Deletes the blob and its snapshots; true when there was one. */
    boolean delete(String blobName) {
        try {
            return blob(blobName).deleteIfExistsWithResponse(DeleteSnapshotsOptionType.INCLUDE, null, null,
                    Context.NONE).getValue();
        } catch (RuntimeException e) {
            throw AzureErrors.map(conn, "delete", blobName, e);
        }
    }

    /** Set Blob Tier; {@code priority} only matters when leaving Archive. */
    void setTier(String blobName, AzureAccessTier tier, RehydratePriority priority) {
        try {
            blob(blobName).setAccessTierWithResponse(new BlobSetAccessTierOptions(tier.toSdk())
                    .setPriority(priority), null, Context.NONE);
        } catch (RuntimeException e) {
            throw AzureErrors.map(conn, "set the access tier " + tier + " on", blobName, e);
        }
    }

    /** Lists every blob under {@code prefix} with its metadata, one page at a time. */
    void list(String prefix, Consumer<BlobItem> each) {
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix).setMaxResultsPerPage(1000)
                .setDetails(new BlobListDetails().setRetrieveMetadata(true));
        try {
            for (BlobItem item : conn.containerClient().listBlobs(options, null)) {
                each.accept(item);
            }
        } catch (RuntimeException e) {
            throw AzureErrors.map(conn, "list blobs under '" + prefix + "' in", null, e);
        }
    }

    /** Every blob under {@code prefix} with its metadata and tier, fetched a page at a time as it is consumed. */
    java.util.Iterator<org.pacs.storage.blob.BlobInfo> iterate(String prefix) {
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix).setMaxResultsPerPage(1000)
                .setDetails(new BlobListDetails().setRetrieveMetadata(true));
        java.util.Iterator<BlobItem> items;
        try {
            items = conn.containerClient().listBlobs(options, null).iterator();
        } catch (RuntimeException e) {
            throw AzureErrors.map(conn, "list blobs under '" + prefix + "' in", null, e);
        }
        return new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return items.hasNext();
                } catch (RuntimeException e) {
                    throw AzureErrors.map(conn, "list blobs under '" + prefix + "' in", null, e);
                }
            }

            @Override
            public org.pacs.storage.blob.BlobInfo next() {
                BlobItem i = items.next();
                var p = i.getProperties();
                return new org.pacs.storage.blob.BlobInfo(i.getName(), p.getContentLength() == null ? 0
                        : p.getContentLength(), p.getLastModified() == null ? null : p.getLastModified().toInstant(),
                        p.getAccessTier() == null ? "" : AzureAccessTier.fromSdk(p.getAccessTier()).azureName(),
                        i.getMetadata());
            }
        };
    }

    /** Azure keeps no temporary restored copy: a rehydrated blob simply has a readable tier again. */
    static RestoreStatus restoreStatus(BlobProperties p) {
        ArchiveStatus status = p.getArchiveStatus();
        AzureAccessTier tier = AzureAccessTier.fromSdk(p.getAccessTier());
        String detail = "tier " + tier + (status == null ? "" : ", archive status " + status)
                + (p.getRehydratePriority() == null ? "" : ", rehydrate priority " + p.getRehydratePriority());
        if (status != null && status.toString().startsWith("rehydrate-pending")) {
            return RestoreStatus.of(RestoreStatus.State.IN_PROGRESS, detail);
        }
        return RestoreStatus.of(tier == AzureAccessTier.ARCHIVE ? RestoreStatus.State.ARCHIVED
                : RestoreStatus.State.NOT_ARCHIVED, detail);
    }

    private BlobClient blob(String blobName) {
        return conn.containerClient().getBlobClient(blobName);
    }

    /** BlobInputStream reports service errors as IOException; this rethrows them as StorageException. */
    private static final class MappedInputStream extends java.io.FilterInputStream {
        private final Consumer<IOException> onError;

        MappedInputStream(InputStream in, Consumer<IOException> onError) {
            super(in);
            this.onError = onError;
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                onError.accept(e);
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                onError.accept(e);
                throw e;
            }
        }
    }
}
