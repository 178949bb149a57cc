package org.pacs.storage.hsm;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredHeader;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.BlobInfo;
import org.pacs.storage.blob.SupportsArchiveClasses;
import org.pacs.storage.catalog.CatalogAttributes;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.catalog.MigrationState;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.index.InstanceMetadata;
import org.pacs.storage.spool.Fingerprint;
import org.pacs.storage.spool.HeaderCapture;
import org.pacs.storage.spool.InstanceHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the catalog from what the tiers hold. Each store's listing is walked a page at a time; a blob the
 * catalog lacks is described from the metadata stored with it (UIDs, SHA-256, size, transfer syntax, header
 * length) and its query attributes from a ranged read of the header only, where the blob is readable. An
 * archived blob (S3 GLACIER or DEEP_ARCHIVE, Azure Archive) cannot be read, so it is catalogued from its
 * metadata alone, findable by its UIDs, and a read asks for its restore: it is never dropped. A blob without
 * metadata (a file tier) is read once, header parsed and bytes hashed. Idle rows whose blob no tier holds are
 * then dropped; rows mid-migration are left to recovery, which knows which copy is authoritative. Each added row
 * gets its kept header back (as ingest keeps it) from the bytes read, except an archived blob's: its metadata and
 * frames are then read from the tier once it is restored.
 */
public final class CatalogRebuilder {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogRebuilder.class);
    /** What a rebuild found: blobs listed, rows that were there, rows added (archived among them), dropped. */
    public record Result(long blobs, long alreadyCatalogued, long added, long archived, long skipped, long removed) {
    }

    private final InstanceCatalog catalog;
    private final HsmTiers tiers;
    private final HsmStorageConfig config;
    private long blobs;
    private long present;
    private long added;
    private long archived;
    private long skipped;

    CatalogRebuilder(InstanceCatalog catalog, HsmTiers tiers, HsmStorageConfig config) {
        this.catalog = catalog;
        this.tiers = tiers;
        this.config = config;
    }

    Result rebuild() {
        for (var store : tiers.distinct()) {
            List<StorageTier> sharing = tiers.tiers().stream().filter(t -> tiers.blobs(t) == store).toList();
            BlobPages.forEach(store, page -> addMissing(sharing, page));
        }
        long[] removed = {0};
        List<SopInstanceUid> gone = new ArrayList<>();
        catalog.forEach(e -> {
            if (e.migrationState() == MigrationState.NONE && !tiers.tier(e.tier()).holds(e.instance())) {
                gone.add(e.instance().sopInstanceUid()); // deleted after the walk, not under its feet
            }
        });
        for (SopInstanceUid uid : gone) {
            removed[0] += catalog.delete(uid) ? 1 : 0;
        }
        Result r = new Result(blobs, present, added, archived, skipped, removed[0]);
        LOG.info("Rebuilt the catalog: {}", r);
        return r;
    }

    /**
     * Catalogues the blobs under {@code keys} in {@code tier} that are there and have no row yet (a dead
     * process's unfinished stores); a key with no blob is skipped. Returns how many rows were added.
     */
    long adopt(StorageTier tier, List<String> keys) {
        TierStore t = tiers.tier(tier);
        List<BlobInfo> page = new ArrayList<>();
        for (String k : keys) {
            t.blobs().head(k).ifPresent(page::add);
        }
        long before = added;
        addMissing(List.of(tier), page);
        if (added > before) {
            LOG.info("Catalogued {} instance(s) whose store had not been committed when its process stopped",
                    added - before);
        }
        return added - before;
    }

    private void addMissing(List<StorageTier> sharing, List<BlobInfo> page) {
        TierStore first = tiers.tier(sharing.get(0));
        // once per blob: where the key hides the UID (a hashed S3 layout) each answer costs a HEAD
        List<Optional<SopInstanceUid>> byBlob = new ArrayList<>(page.size());
        List<SopInstanceUid> uids = new ArrayList<>();
        for (BlobInfo b : page) {
            Optional<SopInstanceUid> uid = first.blobs().uidOf(b);
            byBlob.add(uid);
            uid.ifPresent(uids::add);
        }
        Map<SopInstanceUid, CatalogEntry> rows = catalog.getAll(uids);
        List<CatalogEntry> fresh = new ArrayList<>();
        for (int n = 0; n < page.size(); n++) {
            BlobInfo b = page.get(n);
            blobs++;
            Optional<SopInstanceUid> uid = byBlob.get(n);
            if (uid.isPresent() && rows.containsKey(uid.get())) {
                present++;
                continue;
            }
            StorageTier tier = tierOf(sharing, b);
            describe(tiers.tier(tier), b).ifPresentOrElse(fresh::add, () -> skipped++);
        }
        if (!fresh.isEmpty()) {
            added += catalog.insertBatch(fresh);
        }
    }

    /** In a store two tiers share, the tier whose storage class the blob has. */
    private StorageTier tierOf(List<StorageTier> sharing, BlobInfo b) {
        for (StorageTier t : sharing) {
            String cls = tiers.storageClass(t);
            if (cls != null && cls.equalsIgnoreCase(b.storageClass())) {
                return t;
            }
        }
        return sharing.get(sharing.size() - 1);
    }

    private Optional<CatalogEntry> describe(TierStore tier, BlobInfo listed) {
        try {
            BlobInfo b = listed.metadata().isEmpty() ? tier.blobs().head(listed.key()).orElse(listed) : listed;
            Optional<StoredInstance> fromMeta = InstanceMetadata.decode(b.metadata(), b.size(), b.lastModified());
            boolean isArchived = tier.archive().map(a -> isArchiveClass(a, b)).orElse(false);
            if (fromMeta.isPresent()) {
                StoredInstance i = fromMeta.get();
                Map<Integer, String> attrs = Map.of();
                StoredHeader kept = null;
                Optional<Long> headerLength = InstanceMetadata.headerLength(b.metadata());
                if (isArchived) {
                    archived++; // catalogued from metadata, with no kept header; its first read asks for a restore
                } else if (headerLength.isPresent()) {
                    // a few bytes past the header let the reader see where Pixel Data starts, and stop there
                    byte[] prefix;
                    try (InputStream in = tier.blobs().open(b.key(), 0, Math.min(b.size(), headerLength.get() + 16))) {
                        prefix = in.readAllBytes();
                    }
                    DicomFile header = DicomReader.readHeader(new java.io.ByteArrayInputStream(prefix));
                    attrs = CatalogAttributes.of(header.dataset());
                    kept = HeaderCapture.ofPrefix(prefix, header, b.size()).orElse(null);
                }
                return placed(tier, b, i, attrs, kept);
            }
            if (tier.blobs().carriesMetadata()) {
                LOG.warn("{} in the {} tier carries none of our metadata: not written by pacs-storage, left alone",
                        b.key(), tier.tier());
                return Optional.empty();
            }
            return readWhole(tier, b);
        } catch (StorageException | IOException e) {
            LOG.warn("Skipped {} in the {} tier while rebuilding: {}", listed.key(), tier.tier(), e.getMessage());
            return Optional.empty();
        }
    }

    private static boolean isArchiveClass(SupportsArchiveClasses a, BlobInfo b) {
        String cls = b.storageClass().isEmpty() ? a.storageClass(b.key()) : b.storageClass();
        return a.isArchiveClass(cls);
    }

    /** A blob with no metadata: parse its header and hash all its bytes, in one read. */
    private Optional<CatalogEntry> readWhole(TierStore tier, BlobInfo b) throws IOException {
        Fingerprint fp = new Fingerprint();
        try (InputStream raw = tier.blobs().open(b.key()); InputStream in = fp.wrap(raw)) {
            DicomFile header = DicomReader.readHeader(in);
            in.transferTo(java.io.OutputStream.nullOutputStream());
            // age-based tier policies read storedAt, so a rebuilt row keeps the blob's age
            StoredInstance i = InstanceHeaders.describe(header, b.size(), fp.sha256(), fp.crc32c(), b.lastModified());
            // the header kept as ingest keeps it: its bytes and frame layout, in ranged reads of the blob
            StoredHeader kept = HeaderCapture.ofRanges((offset, length) -> tier.blobs().open(b.key(), offset, length),
                    b.size()).orElse(null);
            return placed(tier, b, i, CatalogAttributes.of(header.dataset()), kept);
        }
    }

    /** Keeps a blob only where the layout would put it: one anywhere else is an orphan, not an instance. */
    private Optional<CatalogEntry> placed(TierStore tier, BlobInfo b, StoredInstance i, Map<Integer, String> attrs,
                                          StoredHeader kept) {
        if (!tier.key(i).equals(b.key())) {
            LOG.warn("{} holds instance {} whose place is {}; left as an orphan", b.key(), i.sopInstanceUid(),
                    tier.key(i));
            return Optional.empty();
        }
        return Optional.of(CatalogEntry.stored(i, attrs, tier.tier(), tiers.location(tier.tier()), kept));
    }
}
