package org.pacs.storage.hsm;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.pacs.storage.IntegrityReport;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.catalog.MigrationState;
import org.pacs.storage.index.AbstractIndexedBackend;

/**
 * Checks every catalogued instance against its tier (re-read and hashed; archived ones by the provider's
 * record) and lists copies a tier holds that the catalog does not account for.
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
        List<String> orphaned = new ArrayList<>();
        long checked = 0;
        for (CatalogEntry e : catalog.list()) {
            SopInstanceUid uid = e.instance().sopInstanceUid();
            StorageBackend b = tiers.backend(e.tier());
            try (InputStream in = b.open(uid)) {
                checked++;
                if (!AbstractIndexedBackend.sha256(in).equals(e.instance().sha256())) {
                    corrupt.add(uid);
                }
            } catch (StorageException ex) {
                if (ex.reason() == StorageException.Reason.ARCHIVED) {
                    checked++;
                    if (!b.describe(uid).map(StoredInstance::sha256).orElse("").equals(e.instance().sha256())) {
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
        }
        for (StorageTier tier : tiers.tiers()) {
            orphaned.addAll(orphans(tier));
        }
        return new IntegrityReport(checked, missing, corrupt, orphaned);
    }

    /** Copies in {@code tier} that neither the committed tier nor an in-flight move accounts for. */
    List<String> orphans(StorageTier tier) {
        Set<SopInstanceUid> expected = new HashSet<>();
        for (StorageTier t : tiers.tiers()) {
            if (tiers.backend(t) == tiers.backend(tier)) {
                for (CatalogEntry e : catalog.listTier(t)) {
                    expected.add(e.instance().sopInstanceUid());
                }
            }
        }
        for (CatalogEntry e : catalog.unfinished(null, java.time.Instant.ofEpochMilli(Long.MAX_VALUE))) {
            if (e.migrationState() != MigrationState.REMOVING) {
                expected.add(e.instance().sopInstanceUid()); // a move in flight may hold a second copy
            }
        }
        List<String> out = new ArrayList<>();
        for (StoredInstance s : tiers.backend(tier).list()) {
            if (!expected.contains(s.sopInstanceUid())) {
                out.add(tier.name().toLowerCase() + ":" + s.sopInstanceUid());
            }
        }
        return out;
    }
}
