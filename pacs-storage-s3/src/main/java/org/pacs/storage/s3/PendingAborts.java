package org.pacs.storage.s3;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchUploadException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Multipart uploads whose abort failed, typically because the server went away mid-upload. Their parts
 * would otherwise sit in the bucket, invisible and billed, forever; so every later write, connectivity check
 * and close tries the abort again until the server confirms it.
 */
final class PendingAborts {

    record Upload(String key, String uploadId) {
    }

    private final S3Client s3;
    private final String bucket;
    private final ConcurrentLinkedQueue<Upload> pending = new ConcurrentLinkedQueue<>();

    PendingAborts(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    /** Aborts now; on failure remembers the upload. Returns whether the abort went through. */
    boolean abort(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(bucket).key(key).uploadId(uploadId));
            return true;
        } catch (NoSuchUploadException gone) {
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return true;
            }
            pending.add(new Upload(key, uploadId));
            return false;
        } catch (RuntimeException e) {
            pending.add(new Upload(key, uploadId));
            return false;
        }
    }

    /** Retries every remembered abort once; cheap when there are none. */
    void retry() {
        int n = pending.size();
        for (int i = 0; i < n; i++) {
            Upload u = pending.poll();
            if (u == null) {
                return;
            }
            abort(u.key(), u.uploadId());
        }
    }

    List<Upload> snapshot() {
        return List.copyOf(pending);
    }
}
