package org.pacs.storage.blob;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.index.InstanceMetadata;

/** The default checks of {@link BlobStore}, shared by every store that has nothing better. */
final class BlobChecks {

    private static final String EXTENSION = ".dcm";

    private BlobChecks() {
    }

    static boolean rehash(BlobStore store, String key, String sha256, long size) {
        try (InputStream in = store.open(key)) {
            CountingHash h = CountingHash.of(in);
            return h.size() == size && h.sha256().equals(sha256);
        } catch (StorageException e) {
            if (e.reason() == StorageException.Reason.NOT_FOUND) {
                return false;
            }
            throw e;
        } catch (IOException e) {
            throw StorageException.unavailable("Re-reading " + key + " in " + store.describe() + " failed ("
                    + e.getMessage() + "); check the store and retry.", e);
        }
    }

    static Optional<SopInstanceUid> uidOf(BlobStore store, BlobInfo blob) {
        String k = blob.key();
        String name = k.substring(k.lastIndexOf('/') + 1);
        if (name.endsWith(EXTENSION)) {
            String uid = name.substring(0, name.length() - EXTENSION.length());
            if (SopInstanceUid.isValid(uid)) {
                return Optional.of(SopInstanceUid.of(uid));
            }
        }
        var meta = blob.metadata().isEmpty() ? store.head(k).map(BlobInfo::metadata).orElse(java.util.Map.of())
                : blob.metadata();
        return InstanceMetadata.decode(meta, blob.size(), blob.lastModified()).map(i -> i.sopInstanceUid());
    }

    /** SHA-256 and byte count of a stream, read once. */
    record CountingHash(String sha256, long size) {
        static CountingHash of(InputStream in) throws IOException {
            long[] n = {0};
            InputStream counting = new java.io.FilterInputStream(in) {
                @Override
                public int read() throws IOException {
                    int b = super.read();
                    if (b >= 0) {
                        n[0]++;
                    }
                    return b;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int r = super.read(b, off, len);
                    if (r > 0) {
                        n[0] += r;
                    }
                    return r;
                }
            };
            String sha = Digests.sha256(counting);
            return new CountingHash(sha, n[0]);
        }
    }
}
