package org.pacs.storage.azure;

import com.azure.storage.blob.models.BlobItem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.index.IndexEntry;
import org.pacs.storage.index.InstanceMetadata;
import org.pacs.storage.spool.InstanceHeaders;

/**
 * Rebuilds index entries from the container: the listing (with metadata) gives each instance's record, and a
 * ranged read of the recorded header length gives its query attributes without downloading pixel data.
 * Reads run {@code maxConcurrency} at a time on the backend's pool.
 */
final class IndexRebuilder {

    /** Bytes read past the recorded header length so the parser sees the Pixel Data tag and stops there. */
    private static final int PIXEL_TAG_SLACK = 16;

    private final AzureBlobs blobs;
    private final BlobNaming naming;
    private final ExecutorService pool;
    private final int maxConcurrency;

    IndexRebuilder(AzureBlobs blobs, BlobNaming naming, ExecutorService pool, int maxConcurrency) {
        this.blobs = blobs;
        this.naming = naming;
        this.pool = pool;
        this.maxConcurrency = maxConcurrency;
    }

    List<IndexEntry> scan() {
        List<IndexEntry> entries = Collections.synchronizedList(new ArrayList<>());
        List<Future<?>> futures = new ArrayList<>();
        Semaphore window = new Semaphore(maxConcurrency);
        try {
            blobs.list(naming.prefix(), item -> {
                Optional<StoredInstance> inst = describe(item);
                if (inst.isEmpty()) {
                    return;
                }
                acquire(window);
                futures.add(pool.submit(() -> {
                    try {
                        entries.add(new IndexEntry(inst.get(), attributes(item, inst.get())));
                    } finally {
                        window.release();
                    }
                }));
            });
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw StorageException.unavailable("Rebuilding the index of " + blobs.connection().where(null)
                    + " was interrupted; open the backend again.", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            throw AzureErrors.map(blobs.connection(), "rebuild the index of", null, e.getCause());
        }
        return List.copyOf(entries);
    }

    /** Only blobs whose metadata is ours and agrees with their name are instances of this backend. */
    private Optional<StoredInstance> describe(BlobItem item) {
        if (Boolean.TRUE.equals(item.isPrefix()) || Boolean.TRUE.equals(item.isDeleted())) {
            return Optional.empty();
        }
        long size = item.getProperties().getContentLength() == null ? 0 : item.getProperties().getContentLength();
        Optional<StoredInstance> inst = InstanceMetadata.decode(item.getMetadata(), size, null);
        Optional<BlobNaming.Parsed> parsed = naming.parse(item.getName());
        if (inst.isEmpty() || parsed.isEmpty()) {
            return Optional.empty();
        }
        StoredInstance i = inst.get();
        BlobNaming.Parsed p = parsed.get();
        boolean agrees = p.sopInstanceUid().equals(i.sopInstanceUid()) && p.studyUid().equals(i.studyInstanceUid())
                && p.seriesUid().equals(i.seriesInstanceUid());
        return agrees ? inst : Optional.empty();
    }

    private DicomDataset attributes(BlobItem item, StoredInstance inst) {
        try {
            DicomFile header = readHeader(item, inst);
            return InstanceHeaders.attributes(header, inst);
        } catch (StorageException e) {
            if (e.reason() != StorageException.Reason.ARCHIVED && e.reason() != StorageException.Reason.INVALID_INPUT
                    && e.reason() != StorageException.Reason.CORRUPT) {
                throw e;
            }
            // Archived (unreadable until restored) or damaged: still indexed, findable by its UIDs, and
            // verifyIntegrity will say what is wrong with it.
            return uidsOnly(inst);
        }
    }

    private DicomFile readHeader(BlobItem item, StoredInstance inst) {
        Optional<Long> headerLength = InstanceMetadata.headerLength(item.getMetadata());
        if (headerLength.isEmpty() || TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.equals(inst.transferSyntaxUid())) {
            // A deflated header has no file offset to stop at; such instances are small, so read them whole.
            try (InputStream in = blobs.open(item.getName())) {
                return DicomReader.readHeader(in);
            } catch (IOException e) {
                throw StorageException.unavailable("Reading " + item.getName() + " failed: " + e.getMessage(), e);
            }
        }
        byte[] prefix = blobs.readPrefix(item.getName(), Math.min(inst.sizeBytes(), headerLength.get() + PIXEL_TAG_SLACK));
        return DicomReader.readHeader(new ByteArrayInputStream(prefix));
    }

    private static DicomDataset uidsOnly(StoredInstance inst) {
        DicomDataset d = new DicomDataset();
        d.setString(Tag.SOPInstanceUID, inst.sopInstanceUid().value());
        d.setString(Tag.StudyInstanceUID, inst.studyInstanceUid());
        d.setString(Tag.SeriesInstanceUID, inst.seriesInstanceUid());
        if (!inst.sopClassUid().isEmpty()) {
            d.setString(Tag.SOPClassUID, inst.sopClassUid());
        }
        return d;
    }

    private static void acquire(Semaphore window) {
        try {
            window.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.unavailable("Rebuilding the index was interrupted; open the backend again.", e);
        }
    }
}
