package org.pacs.storage.hsm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.pacs.storage.ForwardingStorageBackend;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.BlobBacked;
import org.pacs.storage.blob.BlobInfo;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.blob.LocalBlob;
import org.pacs.storage.index.InstanceMetadata;

/**
 * A real backend (FileStorage in these tests) whose blob store has a hook in front of every put, so a test can
 * hold migrations at a latch or fail chosen instances: faults and timing a real disk does not produce on demand.
 * Test instances are small, so the hook gets the whole Part 10 bytes.
 */
final class HookedBackend extends ForwardingStorageBackend implements BlobBacked {

    /** Runs before the bytes reach the real store; may block, or throw to fail the put. */
    interface StoreHook {
        void beforeStore(byte[] part10) throws InterruptedException;
    }

    private volatile StoreHook hook = bytes -> { };
    private volatile Consumer<StoredInstance> afterStore = i -> { };
    private final BlobStore hooked;

    HookedBackend(StorageBackend delegate) {
        super(delegate);
        BlobStore real = ((BlobBacked) delegate).blobStore();
        this.hooked = new Hooked(real);
    }

    void hook(StoreHook h) {
        this.hook = h;
    }

    /** Called with what the real store holds, once it has it. */
    void afterStore(Consumer<StoredInstance> listener) {
        this.afterStore = listener;
    }

    void clearHook() {
        this.hook = bytes -> { };
    }

    @Override
    public BlobStore blobStore() {
        return hooked;
    }

    private final class Hooked implements BlobStore {
        private final BlobStore real;

        Hooked(BlobStore real) {
            this.real = real;
        }

        @Override
        public BlobInfo put(String key, LocalBlob blob) {
            try {
                hook.beforeStore(Files.readAllBytes(blob.path()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw StorageException.unavailable("Store interrupted; retry it.", e);
            } catch (IOException e) {
                throw StorageException.unavailable("Reading the spooled bytes failed: " + e.getMessage(), e);
            }
            BlobInfo info = real.put(key, blob);
            InstanceMetadata.decode(blob.metadata(), blob.size(), java.time.Instant.now()).ifPresent(afterStore);
            return info;
        }

        @Override
        public String keyFor(StoredInstance instance) {
            return real.keyFor(instance);
        }

        @Override
        public Path spoolDir() {
            return real.spoolDir();
        }

        @Override
        public InputStream open(String key) {
            return real.open(key);
        }

        @Override
        public InputStream open(String key, long offset, long length) {
            return real.open(key, offset, length);
        }

        @Override
        public Optional<BlobInfo> head(String key) {
            return real.head(key);
        }

        @Override
        public void delete(String key) {
            real.delete(key);
        }

        @Override
        public Stream<BlobInfo> list() {
            return real.list();
        }

        @Override
        public boolean verify(String key, String sha256, long size) {
            return real.verify(key, sha256, size);
        }

        @Override
        public String describe() {
            return real.describe() + " (hooked)";
        }

        @Override
        public void close() {
            real.close();
        }
    }
}
