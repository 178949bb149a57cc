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
import org.pacs.storage.StoredInstance;
import org.pacs.storage.index.InstanceMetadata;

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
    void upload(String blobName, Path file, StoredInstance instance, long headerLength, AzureAccessTier tier,
                boolean ifAbsent) {
        BlobRequestConditions cond = ifAbsent ? new BlobRequestConditions().setIfNoneMatch("*") : null;
        BlockUploader.BlobAttributes attrs = new BlockUploader.BlobAttributes(
                new BlobHttpHeaders().setContentType(CONTENT_TYPE), InstanceMetadata.encode(instance, headerLength),
                tier.toSdk(), cond);
        try {
            uploader.upload(blob(blobName).getBlockBlobClient(), file, instance.sizeBytes(), attrs);
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

    /** Bytes [0, count) of the blob: the header part only, for indexing without a full download. */
    byte[] readPrefix(String blobName, long count) {
        try {
            return blob(blobName).downloadContentWithResponse(null, null, new BlobRange(0, count), false, null,
                    Context.NONE).getValue().toBytes();
        } catch (RuntimeException e) {
            throw AzureErrors.map(conn, "read the header of", blobName, e);
        }
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
