package org.pacs.storage.s3;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.pacs.storage.ProgressListener;
import org.pacs.storage.StorageException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * Puts a spooled file under a key (spec §3.1.4): one PutObject below multipart-threshold, else a multipart
 * upload of part-size parts, at most max-connections in flight across the whole storage (the parts run on
 * the storage's shared executor). Parts are read straight from the spool file, so memory stays at the HTTP
 * client's buffers rather than part-size per part. Every part carries a CRC32 checksum the server verifies
 * and the completion lists, so a part damaged in transit can never be assembled into the object.
 * <p>On any failure, interruption included, the upload is aborted once the parts in flight have stopped
 * (aborting earlier lets a late part resurrect storage); if the abort itself cannot reach the server it is
 * handed to {@link PendingAborts}. Nothing is ever visible under the key unless the whole upload completed.
 */
final class Uploader {

    /** Everything about the object except its bytes. */
    /** {@code sha256} (hex) goes with a single PUT, which the server verifies and keeps for HEAD to return. */
    record ObjectWrite(String key, Map<String, String> metadata, String storageClass, boolean encrypt, String sha256) {
        ObjectWrite {
            metadata = Map.copyOf(metadata);
        }
    }

    private final S3Client s3;
    private final CloudStorageConfig config;
    private final ExecutorService parts;
    private final S3Errors errors;
    private final PendingAborts aborts;

    Uploader(S3Client s3, CloudStorageConfig config, ExecutorService parts, S3Errors errors, PendingAborts aborts) {
        this.s3 = s3;
        this.config = config;
        this.parts = parts;
        this.errors = errors;
        this.aborts = aborts;
    }

    void upload(Path file, long size, ObjectWrite write, ProgressListener progress) {
        if (size < config.multipartThreshold()) {
            putSingle(file, size, write, progress);
        } else {
            putMultipart(file, size, write, progress);
        }
    }

    private void putSingle(Path file, long size, ObjectWrite w, ProgressListener progress) {
        PutObjectRequest.Builder req = PutObjectRequest.builder().bucket(config.bucketName()).key(w.key())
                .metadata(w.metadata()).storageClass(w.storageClass()).contentType("application/dicom");
        if (w.sha256() != null) {
            // the spooler's SHA-256 of these bytes: the server checks it on receipt and keeps its own, which
            // verify-after-migration then reads back (HEAD with checksum mode) instead of downloading the object
            req.checksumSHA256(java.util.Base64.getEncoder().encodeToString(java.util.HexFormat.of().parseHex(w.sha256())));
        } else {
            req.checksumAlgorithm(ChecksumAlgorithm.CRC32);
        }
        if (w.encrypt()) {
            req.serverSideEncryption(ServerSideEncryption.AES256);
        }
        progress.onProgress(0, size);
        try (FileRange body = new FileRange(file, 0, size)) {
            s3.putObject(req.build(), RequestBody.fromContentProvider(body, size, "application/dicom"));
        } catch (RuntimeException e) {
            throw errors.map("PutObject", w.key(), e);
        }
        progress.onProgress(size, size);
    }

    /** The part size actually used: the configured one, grown when S3's 10,000-part cap demands it. */
    long partSizeFor(long size) {
        long p = config.partSize();
        if ((size + p - 1) / p > CloudStorageConfig.MAX_PARTS) {
            long needed = (size + CloudStorageConfig.MAX_PARTS - 1) / CloudStorageConfig.MAX_PARTS;
            p = ((needed + CloudStorageConfig.MIB - 1) / CloudStorageConfig.MIB) * CloudStorageConfig.MIB;
        }
        return p;
    }

    private void putMultipart(Path file, long size, ObjectWrite w, ProgressListener progress) {
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder()
                .bucket(config.bucketName()).key(w.key()).metadata(w.metadata()).storageClass(w.storageClass())
                .contentType("application/dicom").checksumAlgorithm(ChecksumAlgorithm.CRC32);
        if (w.encrypt()) {
            create.serverSideEncryption(ServerSideEncryption.AES256);
        }
        String uploadId;
        try {
            uploadId = s3.createMultipartUpload(create.build()).uploadId();
        } catch (RuntimeException e) {
            throw errors.map("CreateMultipartUpload", w.key(), e);
        }
        List<Future<CompletedPart>> futures = new ArrayList<>();
        try {
            long partSize = partSizeFor(size);
            AtomicLong done = new AtomicLong();
            progress.onProgress(0, size);
            int number = 1;
            for (long offset = 0; offset < size; offset += partSize, number++) {
                FileRange range = new FileRange(file, offset, Math.min(partSize, size - offset));
                int partNumber = number;
                futures.add(parts.submit(() -> {
                    CompletedPart p = uploadPart(w.key(), uploadId, partNumber, range);
                    progress.onProgress(done.addAndGet(range.length()), size);
                    return p;
                }));
            }
            List<CompletedPart> completed = collect(futures, w.key());
            completed.sort(Comparator.comparingInt(CompletedPart::partNumber));
            s3.completeMultipartUpload(b -> b.bucket(config.bucketName()).key(w.key()).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(completed)));
        } catch (Throwable t) {
            stopAll(futures);
            boolean aborted = aborts.abort(w.key(), uploadId);
            StorageException mapped = t instanceof StorageException se ? se
                    : errors.map("Multipart upload (" + size + " bytes, upload id " + uploadId + ")", w.key(), t);
            if (!aborted) {
                mapped.addSuppressed(new IllegalStateException("Abort of upload " + uploadId + " for " + w.key()
                        + " could not reach the server either; it is retried on the next write or close."));
            }
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw mapped;
        }
    }

    private CompletedPart uploadPart(String key, String uploadId, int partNumber, FileRange range) {
        try (range) {
            UploadPartResponse r = s3.uploadPart(UploadPartRequest.builder().bucket(config.bucketName()).key(key)
                            .uploadId(uploadId).partNumber(partNumber).contentLength(range.length())
                            .checksumAlgorithm(ChecksumAlgorithm.CRC32).build(),
                    RequestBody.fromContentProvider(range, range.length(), "application/octet-stream"));
            return CompletedPart.builder().partNumber(partNumber).eTag(r.eTag()).checksumCRC32(r.checksumCRC32())
                    .build();
        }
    }

    private List<CompletedPart> collect(List<Future<CompletedPart>> futures, String key)
            throws InterruptedException {
        List<CompletedPart> out = new ArrayList<>(futures.size());
        for (Future<CompletedPart> f : futures) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                throw errors.map("UploadPart " + (out.size() + 1), key, e.getCause());
            } catch (CancellationException e) {
                throw StorageException.internal("Part upload of " + key + " was cancelled", e);
            }
        }
        return out;
    }

    /** Cancels queued parts and waits for running ones, so the abort is the last word on the upload. */
    private static void stopAll(List<Future<CompletedPart>> futures) {
        futures.forEach(f -> f.cancel(false));
        boolean interrupted = false;
        for (Future<CompletedPart> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (CancellationException | ExecutionException e) {
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
