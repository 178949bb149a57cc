package org.pacs.storage.azure;

import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Spec §4.1.5: uploads a spooled file as one put below the threshold, else as staged blocks committed at the
 * end. Blocks are sent straight from the file ({@link BinaryData#fromFile(Path, Long, Long)} is replayable, so
 * the SDK's retries work) and never buffered whole in the heap, so memory stays small however many uploads
 * run; at most {@code maxConcurrency} blocks of one upload are in flight, on the backend's shared pool.
 * <p>Nothing becomes visible before the final commit (a put is atomic, staged blocks are invisible until
 * committed and the service discards them after a week), so a failure leaves no partial blob behind.
 */
final class BlockUploader {

    /** Azure refuses a block list longer than this. */
    static final int MAX_BLOCKS = 50_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final long threshold;
    private final long blockSize;
    private final int maxConcurrency;
    private final ExecutorService pool;

    BlockUploader(long threshold, long blockSize, int maxConcurrency, ExecutorService pool) {
        this.threshold = threshold;
        this.blockSize = blockSize;
        this.maxConcurrency = maxConcurrency;
        this.pool = pool;
    }

    /** What the blob gets besides its bytes. */
    record BlobAttributes(BlobHttpHeaders headers, Map<String, String> metadata, AccessTier tier,
                          BlobRequestConditions conditions) {
    }

    /** Returns the number of requests used (1 for a put, blocks + 1 for a block upload). */
    int upload(BlockBlobClient blob, Path file, long size, BlobAttributes attrs) throws InterruptedException {
        if (size < threshold) {
            blob.uploadWithResponse(new BlockBlobSimpleUploadOptions(BinaryData.fromFile(file))
                    .setHeaders(attrs.headers())
                    .setMetadata(attrs.metadata())
                    .setTier(attrs.tier())
                    .setContentMd5(md5(file, 0, size))
                    .setRequestConditions(attrs.conditions()), null, Context.NONE);
            return 1;
        }
        long bs = effectiveBlockSize(size);
        int blocks = (int) ((size + bs - 1) / bs);
        List<String> ids = blockIds(blocks);
        Semaphore window = new Semaphore(maxConcurrency);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Future<?>> inFlight = new ArrayList<>(blocks);
        try {
            for (int i = 0; i < blocks && failure.get() == null; i++) {
                window.acquire();
                long offset = i * bs;
                long length = Math.min(bs, size - offset);
                String id = ids.get(i);
                inFlight.add(pool.submit(() -> {
                    try {
                        if (failure.get() == null) {
                            blob.stageBlockWithResponse(new BlockBlobStageBlockOptions(id,
                                    BinaryData.fromFile(file, offset, length))
                                    .setContentMd5(md5(file, offset, length)), null, Context.NONE);
                        }
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                    } finally {
                        window.release();
                    }
                }));
            }
            for (Future<?> f : inFlight) {
                f.get();
            }
        } catch (InterruptedException e) {
            inFlight.forEach(f -> f.cancel(true));
            throw e;
        } catch (ExecutionException e) {
            failure.compareAndSet(null, e.getCause());
        }
        Throwable t = failure.get();
        if (t != null) {
            throw t instanceof RuntimeException re ? re : new IllegalStateException(t);
        }
        blob.commitBlockListWithResponse(new BlockBlobCommitBlockListOptions(ids)
                .setHeaders(attrs.headers())
                .setMetadata(attrs.metadata())
                .setTier(attrs.tier())
                .setRequestConditions(attrs.conditions()), null, Context.NONE);
        return blocks + 1;
    }

    /** The configured block size, raised just enough that the instance fits in Azure's 50,000 blocks. */
    long effectiveBlockSize(long size) {
        long minimum = (size + MAX_BLOCKS - 1) / MAX_BLOCKS;
        return Math.max(blockSize, minimum);
    }

    /**
     * Azure wants every ID of one blob Base64 of the same length. A random per-upload nonce keeps two uploads
     * of the same name (a resend racing the original) from committing each other's blocks.
     */
    static List<String> blockIds(int count) {
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        List<String> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ByteBuffer b = ByteBuffer.allocate(16).put(nonce).putInt(i);
            ids.add(Base64.getEncoder().encodeToString(b.array()));
        }
        return ids;
    }

    static byte[] md5(Path file, long offset, long length) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java 17 runtime has MD5", e);
        }
        ByteBuffer buf = ByteBuffer.allocate((int) Math.min(256 * 1024, Math.max(1, length)));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = offset;
            long end = offset + length;
            while (pos < end) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
                int n = ch.read(buf, pos);
                if (n < 0) {
                    throw new IOException(file + " ended at " + pos + " before " + end + "; it changed while uploading");
                }
                buf.flip();
                md.update(buf);
                pos += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the spooled instance " + file, e);
        }
        return md.digest();
    }
}
