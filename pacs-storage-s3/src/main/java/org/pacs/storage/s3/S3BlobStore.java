package org.pacs.storage.s3;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.pacs.storage.ArchivalBackend.RestorePriority;
import org.pacs.storage.ProgressListener;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.BlobInfo;
import org.pacs.storage.blob.LocalBlob;
import org.pacs.storage.blob.SupportsArchiveClasses;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Blobs as objects in an S3 bucket, through the AWS SDK for Java v2 (spec §3.1): parallel multipart uploads with
 * per-part checksums ({@link Uploader}), ranged GETs, archive classes and restores ({@link ArchiveOperations}).
 * Listing is paged by the SDK as the caller consumes it; nothing about the bucket is kept in memory, so opening
 * costs one client and no request.
 */
public final class S3BlobStore implements SupportsArchiveClasses {

    private final CloudStorageConfig config;
    private final Path spoolDir;
    private final S3Client s3;
    private final KeyLayout layout;
    private final S3Errors errors;
    private final ExecutorService workers;
    private final PendingAborts aborts;
    private final Uploader uploader;
    private final ArchiveOperations archive;
    /** The progress listener of the put or read running on this thread (the HSM drives them, not the caller). */
    private final ThreadLocal<ProgressListener> progress = ThreadLocal.withInitial(() -> ProgressListener.NONE);

    public S3BlobStore(CloudStorageConfig config, Path spoolDir) {
        this.config = config;
        this.spoolDir = spoolDir.toAbsolutePath().normalize();
        this.layout = config.keyLayout();
        this.errors = new S3Errors(config);
        this.s3 = S3ClientFactory.create(config);
        this.workers = Executors.newFixedThreadPool(config.maxConnections(), daemonThreads());
        this.aborts = new PendingAborts(s3, config.bucketName());
        this.uploader = new Uploader(s3, config, workers, errors, aborts);
        this.archive = new ArchiveOperations(s3, config, errors);
    }

    public CloudStorageConfig config() {
        return config;
    }

    @Override
    public String keyFor(StoredInstance i) {
        return layout.keyFor(i.studyInstanceUid(), i.seriesInstanceUid(), i.sopInstanceUid());
    }

    @Override
    public Path spoolDir() {
        return spoolDir;
    }

    @Override
    public BlobInfo put(String key, LocalBlob blob) {
        aborts.retry();
        boolean single = blob.size() < config.multipartThreshold();
        uploader.upload(blob.path(), blob.size(), new Uploader.ObjectWrite(key, blob.metadata(), config.storageClass(),
                config.enableEncryption(), single ? blob.sha256() : null), progress.get());
        return new BlobInfo(key, blob.size(), java.time.Instant.now(), config.storageClass(), blob.metadata());
    }

    @Override
    public InputStream open(String key) {
        try {
            var in = s3.getObject(b -> b.bucket(config.bucketName()).key(key));
            ProgressListener l = progress.get();
            Long total = in.response().contentLength();
            return l == ProgressListener.NONE ? in
                    : new ProgressInputStream(in, total == null ? -1 : total, config.partSize(), l);
        } catch (SdkException e) {
            throw errors.map("GetObject", key, e);
        }
    }

    @Override
    public InputStream open(String key, long offset, long length) {
        if (offset < 0 || length < 0) {
            throw StorageException.invalidInput("A byte range needs a non-negative offset and length.");
        }
        if (length == 0) {
            return InputStream.nullInputStream();
        }
        try {
            return s3.getObject(b -> b.bucket(config.bucketName()).key(key)
                    .range("bytes=" + offset + "-" + (offset + length - 1)));
        } catch (SdkException e) {
            throw errors.map("GetObject (range)", key, e);
        }
    }

    @Override
    public Optional<BlobInfo> head(String key) {
        try {
            HeadObjectResponse h = archive.head(key);
            return Optional.of(new BlobInfo(key, h.contentLength() == null ? 0 : h.contentLength(), h.lastModified(),
                    h.storageClassAsString() == null ? "STANDARD" : h.storageClassAsString(), h.metadata()));
        } catch (StorageException e) {
            if (e.reason() == StorageException.Reason.NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public void delete(String key) {
        try {
            s3.deleteObject(b -> b.bucket(config.bucketName()).key(key));
        } catch (SdkException e) {
            StorageException se = errors.map("DeleteObject", key, e);
            if (se.reason() != StorageException.Reason.NOT_FOUND) {
                throw se;
            }
        }
    }

    @Override
    public Stream<BlobInfo> list() {
        try {
            return s3.listObjectsV2Paginator(b -> b.bucket(config.bucketName()).prefix(layout.prefix()))
                    .contents().stream()
                    .map(o -> new BlobInfo(o.key(), o.size() == null ? 0 : o.size(), o.lastModified(),
                            o.storageClassAsString() == null ? "STANDARD" : o.storageClassAsString(), null));
        } catch (SdkException e) {
            throw errors.map("ListObjectsV2", layout.prefix(), e);
        }
    }

    /**
     * A single PUT carried our SHA-256, which S3 checked on receipt and returns on HEAD: compared here, no
     * download. A multipart object's parts were each checked by the server against their CRC32 (composite
     * checksum), so its size and the presence of that checksum are what HEAD confirms. Servers that return no
     * checksum fall back to a re-read.
     */
    @Override
    public boolean verify(String key, String sha256, long size) {
        HeadObjectResponse h;
        try {
            h = s3.headObject(b -> b.bucket(config.bucketName()).key(key).checksumMode(ChecksumMode.ENABLED));
        } catch (SdkException e) {
            StorageException se = errors.map("HeadObject", key, e);
            if (se.reason() == StorageException.Reason.NOT_FOUND) {
                return false;
            }
            throw se;
        }
        if (h.contentLength() == null || h.contentLength() != size) {
            return false;
        }
        String sum = h.checksumSHA256();
        if (sum != null && !sum.contains("-")) {
            return HexFormat.of().formatHex(Base64.getDecoder().decode(sum)).equals(sha256);
        }
        if (h.checksumCRC32() != null && h.checksumCRC32().contains("-")) {
            return true;
        }
        return SupportsArchiveClasses.super.verify(key, sha256, size);
    }

    @Override
    public boolean carriesMetadata() {
        return true;
    }

    @Override
    public String describe() {
        return "s3:" + errors.location(layout.prefix());
    }

    // ---- archive classes ---------------------------------------------------------------------------------

    @Override
    public RestoreStatus requestRestore(String key, int days, RestorePriority priority) {
        return archive.requestRestore(key, days, priority);
    }

    @Override
    public RestoreStatus restoreStatus(String key) {
        return archive.restoreStatus(key);
    }

    @Override
    public String storageClass(String key) {
        return archive.storageClass(key);
    }

    @Override
    public void changeStorageClass(String key, String storageClass) {
        archive.changeStorageClass(key, CloudStorageConfig.normaliseStorageClass(storageClass));
    }

    @Override
    public boolean isArchiveClass(String storageClass) {
        return RestoreHeader.isArchiveClass(storageClass);
    }

    // ---- connection ----------------------------------------------------------------------------------------

    /** HeadBucket within connect-timeout-ms; also finishes aborts a lost connection left pending. */
    public void checkConnection() {
        try {
            s3.headBucket(b -> b.bucket(config.bucketName())
                    .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofMillis(config.connectTimeoutMs()))));
        } catch (SdkException e) {
            throw errors.map("HeadBucket", null, e);
        }
        aborts.retry();
    }

    /** Runs {@code action} with {@code listener} told of bytes moved by the puts and reads it makes. */
    public <T> T withProgress(ProgressListener listener, Supplier<T> action) {
        progress.set(listener == null ? ProgressListener.NONE : listener);
        try {
            return action.get();
        } finally {
            progress.remove();
        }
    }

    /** Uploads whose abort could not reach the server yet; for tests and diagnostics. */
    int pendingAborts() {
        return aborts.snapshot().size();
    }

    @Override
    public void close() {
        aborts.retry();
        workers.shutdownNow();
        s3.close();
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "s3-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public String toString() {
        return "S3BlobStore[" + errors.location(layout.prefix()) + " at " + config.endpointDisplay() + "]";
    }
}
