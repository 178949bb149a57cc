package org.pacs.storage.blob;

/**
 * A {@link org.pacs.storage.StorageBackend} that is one blob store plus a catalog (FileStorage, S3Storage,
 * AzureBlobStorage): an HSM built over such backends uses their blob stores and its own catalog.
 */
public interface BlobBacked {

    BlobStore blobStore();
}
