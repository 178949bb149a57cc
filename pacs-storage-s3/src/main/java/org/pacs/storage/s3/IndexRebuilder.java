package org.pacs.storage.s3;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.index.IndexEntry;
import org.pacs.storage.index.InstanceMetadata;
import org.pacs.storage.spool.InstanceHeaders;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Rebuilds the index from the bucket (spec rebuild_index): list the prefix, HEAD each instance object for
 * the UIDs and SHA-256 in its metadata, then a ranged GET of just the header bytes for the query attributes.
 * Pixel data never crosses the wire, so a rebuild costs two small requests per instance however large the
 * instances are. Objects run in parallel on the storage's workers.
 */
final class IndexRebuilder {

    /** Read when an object does not say where its header ends; enough for any ordinary header. */
    static final long FALLBACK_HEADER_BYTES = 256 * 1024;
    /** Past the header: the Pixel Data element's own tag, VR and length, so the reader sees where it stops. */
    static final long PIXEL_ELEMENT_HEADER = 16;

    /** What a rebuild found: the entries, and keys it could not index with why. */
    public record Result(List<IndexEntry> entries, List<String> skipped) {
        public Result {
            entries = List.copyOf(entries);
            skipped = List.copyOf(skipped);
        }

        public int indexed() {
            return entries.size();
        }
    }

    private final S3Client s3;
    private final CloudStorageConfig config;
    private final KeyLayout layout;
    private final S3Errors errors;
    private final ExecutorService workers;

    IndexRebuilder(S3Client s3, CloudStorageConfig config, KeyLayout layout, S3Errors errors,
                   ExecutorService workers) {
        this.s3 = s3;
        this.config = config;
        this.layout = layout;
        this.errors = errors;
        this.workers = workers;
    }

    Result rebuild() {
        List<S3Object> objects;
        try {
            objects = s3.listObjectsV2Paginator(b -> b.bucket(config.bucketName()).prefix(layout.prefix()))
                    .contents().stream().filter(o -> layout.isInstanceKey(o.key())).toList();
        } catch (SdkException e) {
            throw errors.map("ListObjectsV2 (index rebuild)", layout.prefix(), e);
        }
        List<Future<Optional<IndexEntry>>> futures = new ArrayList<>(objects.size());
        for (S3Object o : objects) {
            futures.add(workers.submit(() -> describe(o.key())));
        }
        List<IndexEntry> entries = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            try {
                Optional<IndexEntry> e = futures.get(i).get();
                if (e.isPresent()) {
                    entries.add(e.get());
                } else {
                    skipped.add(objects.get(i).key() + ": no pacs metadata (not written by this backend)");
                }
            } catch (ExecutionException e) {
                if (e.getCause() instanceof StorageException se && se.reason() != StorageException.Reason.NOT_FOUND
                        && se.reason() != StorageException.Reason.INVALID_INPUT
                        && se.reason() != StorageException.Reason.ARCHIVED) {
                    futures.forEach(f -> f.cancel(true));
                    throw se;
                }
                skipped.add(objects.get(i).key() + ": " + e.getCause().getMessage());
            } catch (InterruptedException e) {
                futures.forEach(f -> f.cancel(true));
                Thread.currentThread().interrupt();
                throw StorageException.unavailable("Index rebuild of " + errors.location(layout.prefix())
                        + " was interrupted; run it again.", e);
            }
        }
        return new Result(entries, skipped);
    }

    private Optional<IndexEntry> describe(String key) {
        HeadObjectResponse h;
        try {
            h = s3.headObject(b -> b.bucket(config.bucketName()).key(key));
        } catch (SdkException e) {
            throw errors.map("HeadObject (index rebuild)", key, e);
        }
        long size = h.contentLength() == null ? 0 : h.contentLength();
        Optional<StoredInstance> inst = InstanceMetadata.decode(h.metadata(), size, h.lastModified());
        if (inst.isEmpty() || !layout.keyFor(inst.get().studyInstanceUid(), inst.get().seriesInstanceUid(),
                inst.get().sopInstanceUid()).equals(key)) {
            return Optional.empty();
        }
        long headerLength = InstanceMetadata.headerLength(h.metadata()).orElse(-1L);
        long want = headerLength > 0 ? headerLength + PIXEL_ELEMENT_HEADER : FALLBACK_HEADER_BYTES;
        long last = Math.min(want, size) - 1;
        DicomFile header;
        try (InputStream in = s3.getObject(b -> b.bucket(config.bucketName()).key(key).range("bytes=0-" + last))) {
            header = DicomReader.readHeader(in);
        } catch (SdkException e) {
            throw errors.map("GetObject of the header bytes (index rebuild)", key, e);
        } catch (java.io.IOException e) {
            throw StorageException.unavailable("Reading the header of " + errors.location(key) + " failed ("
                    + e.getMessage() + "); run the rebuild again.", e);
        }
        return Optional.of(new IndexEntry(inst.get(), InstanceHeaders.attributes(header, inst.get())));
    }
}
