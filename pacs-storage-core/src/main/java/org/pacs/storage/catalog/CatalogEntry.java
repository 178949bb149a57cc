package org.pacs.storage.catalog;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.Optional;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.hsm.StorageTier;
import org.pacs.storage.hsm.TierMetadata;

/**
 * One catalogued instance: what the backend said about it, its query attributes, where it lives and where it
 * stands in a migration. Nullable components ({@code lastAccessed}, {@code migrationSource},
 * {@code migrationTarget}, {@code claimOwner}, {@code leaseExpiry}) are absent when not applicable.
 * {@code hotCopy}: besides its home {@code tier} (warm or cold), the hot tier holds a verified cache copy, which
 * reads are served from and a release pass may delete; always false when {@code tier} is hot.
 */
public record CatalogEntry(StoredInstance instance, Map<Integer, String> attributes, StorageTier tier,
                           String location, Instant lastAccessed, MigrationState migrationState,
                           StorageTier migrationSource, StorageTier migrationTarget, String claimOwner,
                           Instant leaseExpiry, boolean hotCopy) {

    /** A row without a hot cache copy. */
    public CatalogEntry(StoredInstance instance, Map<Integer, String> attributes, StorageTier tier, String location,
                        Instant lastAccessed, MigrationState migrationState, StorageTier migrationSource,
                        StorageTier migrationTarget, String claimOwner, Instant leaseExpiry) {
        this(instance, attributes, tier, location, lastAccessed, migrationState, migrationSource, migrationTarget,
                claimOwner, leaseExpiry, false);
    }

    public CatalogEntry {
        Objects.requireNonNull(instance, "instance");
        Map<Integer, String> a = new TreeMap<>();
        if (attributes != null) {
            attributes.forEach((k, v) -> {
                if (CatalogAttributes.COLUMNS.containsKey(k) && v != null && !v.isEmpty()) {
                    a.put(k, v);
                }
            });
        }
        attributes = java.util.Collections.unmodifiableMap(a);
        Objects.requireNonNull(tier, "tier");
        location = location == null ? "" : location;
        Objects.requireNonNull(migrationState, "migrationState");
        hotCopy = hotCopy && tier != StorageTier.HOT;
    }

    /** A freshly stored instance: no access yet, no migration. */
    public static CatalogEntry stored(StoredInstance instance, Map<Integer, String> attributes,
                                      StorageTier tier, String location) {
        return new CatalogEntry(instance, attributes, tier, location, null, MigrationState.NONE, null, null, null,
                null);
    }

    /** The indexed attributes, UIDs included, as the query matcher reads them. */
    public DicomDataset attributesDataset() {
        return CatalogAttributes.dataset(instance, attributes);
    }

    public Optional<Instant> lastAccess() {
        return Optional.ofNullable(lastAccessed);
    }

    public TierMetadata toTierMetadata() {
        return new TierMetadata(instance.sopInstanceUid(), tier, instance.storedAt(), lastAccessed,
                instance.sizeBytes(), instance.studyInstanceUid(), instance.seriesInstanceUid(), instance.sha256());
    }
}
