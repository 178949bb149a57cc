package org.pacs.storage.hsm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.pacs.storage.ForwardingStorageBackend;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomWriter;

/**
 * A real backend (FileStorage in these tests) with a hook in front of every store, so a test can hold
 * migrations at a latch or fail chosen instances: faults and timing a real disk does not produce on demand.
 * Test instances are small, so the hook gets the whole Part 10 bytes.
 */
final class HookedBackend extends ForwardingStorageBackend {

    /** Runs before the bytes reach the real backend; may block, or throw to fail the store. */
    interface StoreHook {
        void beforeStore(byte[] part10) throws InterruptedException;
    }

    private volatile StoreHook hook = bytes -> { };
    private volatile Consumer<StoredInstance> afterStore = i -> { };

    HookedBackend(StorageBackend delegate) {
        super(delegate);
    }

    void hook(StoreHook h) {
        this.hook = h;
    }

    /** Called with what the real backend stored, once it has. */
    void afterStore(Consumer<StoredInstance> listener) {
        this.afterStore = listener;
    }

    private StoredInstance stored(StoredInstance i) {
        afterStore.accept(i);
        return i;
    }

    void clearHook() {
        this.hook = bytes -> { };
    }

    private void runHook(byte[] bytes) {
        try {
            hook.beforeStore(bytes);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.unavailable("Store interrupted; retry it.", e);
        }
    }

    @Override
    public StoredInstance store(DicomDataset dataset) {
        byte[] bytes = DicomWriter.toBytes(dataset, org.pacs.storage.dicom.TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        runHook(bytes);
        return stored(delegate().store(new ByteArrayInputStream(bytes)));
    }

    @Override
    public StoredInstance store(Path file) {
        try {
            runHook(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stored(delegate().store(file));
    }

    @Override
    public StoredInstance store(InputStream in) {
        byte[] bytes;
        try {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw StorageException.unavailable("Reading the source failed: " + e.getMessage(), e);
        }
        runHook(bytes);
        return stored(delegate().store(new ByteArrayInputStream(bytes)));
    }
}
