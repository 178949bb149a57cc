package org.pacs.storage.hsm;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pacs.storage.IntegrityReport;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.blob.BlobInfo;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.blob.Digests;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.catalog.MigrationState;

/**
 * Checks every catalogued instance against its tier (re-read and hashed; archived ones by the store's record of
 * size) and lists blobs a tier holds that the catalog does not account for. Orphans are found by walking each
 * store's listing and asking the catalog about a page of blobs at a time, so memory does not grow with the
 * archive.
 */
final class HsmIntegrity {

    private final InstanceCatalog catalog;
    private final HsmTiers tiers;

    HsmIntegrity(InstanceCatalog catalog, HsmTiers tiers) {
        this.catalog = catalog;
        this.tiers = tiers;
    }

    IntegrityReport verify() {
        List<SopInstanceUid> missing = new ArrayList<>();
        List<SopInstanceUid> corrupt = new ArrayList<>();
        long[] checked = {0};
        // the catalog is walked a page at a time: memory holds the problems found, not the archive
        catalog.forEach(e -> {
            if (e.migrationState() == MigrationState.REMOVING) {
                return;
            }
            SopInstanceUid uid = e.instance().sopInstanceUid();
            TierStore t = tiers.tier(e.tier());
            try (InputStream in = t.open(e.instance())) {
                checked[0]++;
                if (!Digests.sha256(in).equals(e.instance().sha256())) {
                    corrupt.add(uid);
                }
            } catch (StorageException ex) {
                if (ex.reason() == StorageException.Reason.ARCHIVED) {
                    // unreadable until restored, so not counted as checked: the store's size record is what can be
                    // compared meanwhile
                    if (t.blobs().head(t.key(e.instance())).map(BlobInfo::size).orElse(-1L)
                            != e.instance().sizeBytes()) {
                        corrupt.add(uid);
                    }
                } else if (ex.reason() == StorageException.Reason.NOT_FOUND) {
                    missing.add(uid);
                } else {
                    corrupt.add(uid);
                }
            } catch (IOException ex) {
                corrupt.add(uid);
            }
            if (e.hotCopy() && e.migrationState() == MigrationState.NONE) {
                checkHotCopy(e, missing, corrupt); // reads are served from it, so it is checked too
            }
        });
        List<String> orphaned = new ArrayList<>();
        for (BlobStore store : tiers.distinct()) {
            orphaned.addAll(orphans(store));
        }
        return new IntegrityReport(checked[0], missing.stream().sorted().toList(), corrupt.stream().sorted().toList(),
                orphaned.stream().sorted().toList());
    }

    private void checkHotCopy(CatalogEntry e, List<SopInstanceUid> missing, List<SopInstanceUid> corrupt) {
        SopInstanceUid uid = e.instance().sopInstanceUid();
        try (InputStream in = tiers.tier(StorageTier.HOT).open(e.instance())) {
            if (!Digests.sha256(in).equals(e.instance().sha256()) && !corrupt.contains(uid)) {
                corrupt.add(uid);
            }
        } catch (StorageException ex) {
            if (ex.reason() == StorageException.Reason.NOT_FOUND && !missing.contains(uid)) {
                missing.add(uid);
            } else if (ex.reason() != StorageException.Reason.NOT_FOUND && !corrupt.contains(uid)) {
                corrupt.add(uid);
            }
        } catch (IOException ex) {
            if (!corrupt.contains(uid)) {
                corrupt.add(uid);
            }
        }
    }

    /** Blobs in {@code store} that neither a committed tier, a hot cache copy nor a move in flight accounts for. */
    private List<String> orphans(BlobStore store) {
        List<StorageTier> sharing = tiers.tiers().stream().filter(t -> tiers.blobs(t) == store).toList();
        String label = sharing.get(0).name().toLowerCase();
        List<String> out = new ArrayList<>();
        BlobPages.forEach(store, page -> checkPage(store, sharing, label, page, out));
        return out;
    }

    private void checkPage(BlobStore store, List<StorageTier> sharing, String label, List<BlobInfo> page,
                           List<String> out) {
        List<SopInstanceUid> uids = new ArrayList<>();
        List<Optional<SopInstanceUid>> byBlob = new ArrayList<>();
        for (BlobInfo b : page) {
            Optional<SopInstanceUid> uid = store.uidOf(b);
            byBlob.add(uid);
            uid.ifPresent(uids::add);
        }
        Map<SopInstanceUid, CatalogEntry> rows = catalog.getAll(uids);
        for (int i = 0; i < page.size(); i++) {
            BlobInfo b = page.get(i);
            CatalogEntry row = byBlob.get(i).map(rows::get).orElse(null);
            if (row == null || !accounted(row, b, store, sharing)) {
                out.add(label + ":" + b.key()); // the key: what to inspect or delete, whatever the UID inside
            }
        }
    }

    private boolean accounted(CatalogEntry row, BlobInfo blob, BlobStore store, List<StorageTier> sharing) {
        if (!store.keyFor(row.instance()).equals(blob.key())) {
            return false; // the instance lives under another key here (e.g. a replaced study): this blob is stale
        }
        if (sharing.contains(row.tier()) || (row.hotCopy() && sharing.contains(StorageTier.HOT))) {
            return true;
        }
        // a move in flight may hold a second copy in its source or target
        return row.migrationState() != MigrationState.NONE && row.migrationState() != MigrationState.REMOVING
                && (sharing.contains(row.migrationSource()) || sharing.contains(row.migrationTarget()));
    }
}
