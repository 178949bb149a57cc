package org.pacs.storage.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.catalog.CatalogAttributes;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.catalog.MigrationState;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.hsm.StorageTier;

/**
 * Rebuilds the HSM catalog from what the tiers hold: an instance a tier holds but the catalog lacks is added
 * (query attributes read from its header only), and an idle catalog row that no tier holds is dropped. Rows in
 * the middle of a migration are left to the HSM's own recovery, which knows which copy is authoritative.
 */
final class IndexRebuild {

    private IndexRebuild() {
    }

    static Map<String, Object> run(InstanceCatalog catalog, Map<String, StorageBackend> tiers) {
        Set<SopInstanceUid> held = new HashSet<>();
        long added = 0;
        long present = 0;
        for (StorageTier tier : StorageTier.values()) {
            StorageBackend b = tiers.get(tier.name().toLowerCase(Locale.ROOT));
            if (b == null) {
                continue;
            }
            for (StoredInstance s : b.list()) {
                SopInstanceUid uid = s.sopInstanceUid();
                if (!held.add(uid) || catalog.get(uid).isPresent()) {
                    present++;
                    continue;
                }
                CatalogEntry entry = CatalogEntry.stored(s, CatalogAttributes.of(header(b, uid)), tier,
                        tier.name().toLowerCase(Locale.ROOT) + ":" + b.getClass().getSimpleName());
                if (catalog.insert(entry)) {
                    added++;
                }
            }
        }
        long removed = 0;
        List<CatalogEntry> rows = catalog.list();
        for (CatalogEntry e : rows) {
            SopInstanceUid uid = e.instance().sopInstanceUid();
            if (!held.contains(uid) && e.migrationState() == MigrationState.NONE && catalog.delete(uid)) {
                removed++;
            }
        }
        return Json.object("instances", held.size(), "alreadyCatalogued", present, "added", added,
                "removed", removed);
    }

    private static org.pacs.storage.dicom.DicomDataset header(StorageBackend b, SopInstanceUid uid) {
        try (InputStream in = b.open(uid)) {
            return DicomReader.readHeader(in).dataset();
        } catch (IOException e) {
            throw StorageException.unavailable("Cannot read " + uid + " while rebuilding the catalog: "
                    + e.getMessage() + "; check the tier and run rebuild-index again.", e);
        }
    }
}
