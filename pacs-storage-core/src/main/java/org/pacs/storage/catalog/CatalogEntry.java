package org.pacs.storage.catalog;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
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
 */
public record CatalogEntry(StoredInstance instance, Map<CatalogColumn, String> attributes, StorageTier tier,
                           String location, Instant lastAccessed, MigrationState migrationState,
                           StorageTier migrationSource, StorageTier migrationTarget, String claimOwner,
                           Instant leaseExpiry) {

    public CatalogEntry {
        Objects.requireNonNull(instance, "instance");
        EnumMap<CatalogColumn, String> a = new EnumMap<>(CatalogColumn.class);
        if (attributes != null) {
            attributes.forEach((k, v) -> {
                if (!k.fromInstance() && v != null && !v.isEmpty()) {
                    a.put(k, v);
                }
            });
        }
        attributes = Map.copyOf(a);
        Objects.requireNonNull(tier, "tier");
        location = location == null ? "" : location;
        Objects.requireNonNull(migrationState, "migrationState");
    }

    /** A freshly stored instance: no access yet, no migration. */
    public static CatalogEntry stored(StoredInstance instance, Map<CatalogColumn, String> attributes,
                                      StorageTier tier, String location) {
        return new CatalogEntry(instance, attributes, tier, location, null, MigrationState.NONE, null, null, null,
                null);
    }

    /** The non-UID query attributes of a header, as the catalog keeps them. */
    public static Map<CatalogColumn, String> attributesOf(DicomDataset header) {
        EnumMap<CatalogColumn, String> m = new EnumMap<>(CatalogColumn.class);
        for (CatalogColumn c : CatalogColumn.values()) {
            if (!c.fromInstance()) {
                header.getString(c.tag()).ifPresent(v -> m.put(c, v));
            }
        }
        return m;
    }

    public Optional<String> attribute(CatalogColumn column) {
        return Optional.ofNullable(attributes.get(column));
    }

    public Optional<Instant> lastAccess() {
        return Optional.ofNullable(lastAccessed);
    }

    public TierMetadata toTierMetadata() {
        return new TierMetadata(instance.sopInstanceUid(), tier, instance.storedAt(), lastAccessed,
                instance.sizeBytes(), instance.studyInstanceUid(), instance.seriesInstanceUid(), instance.sha256());
    }
}
