package org.pacs.storage.catalog;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;
import java.util.Optional;
import org.pacs.storage.StoredHeader;
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
 * {@code header} is the header kept at ingest, written with the row (in the same transaction) when present; rows
 * read back from the catalog never carry it (it is read on its own, {@link InstanceCatalog#storedHeader}), so a
 * listing holds no header bytes.
 */
public record CatalogEntry(StoredInstance instance, Map<Integer, String> attributes, StorageTier tier,
                           String location, Instant lastAccessed, MigrationState migrationState,
                           StorageTier migrationSource, StorageTier migrationTarget, String claimOwner,
                           Instant leaseExpiry, boolean hotCopy, StoredHeader header) {

    /** A row without a hot cache copy or a kept header. */
    public CatalogEntry(StoredInstance instance, Map<Integer, String> attributes, StorageTier tier, String location,
                        Instant lastAccessed, MigrationState migrationState, StorageTier migrationSource,
                        StorageTier migrationTarget, String claimOwner, Instant leaseExpiry) {
        this(instance, attributes, tier, location, lastAccessed, migrationState, migrationSource, migrationTarget,
                claimOwner, leaseExpiry, false, null);
    }

    /** A row as the catalog reads it back: with its hot-copy flag, never a header. */
    public CatalogEntry(StoredInstance instance, Map<Integer, String> attributes, StorageTier tier, String location,
                        Instant lastAccessed, MigrationState migrationState, StorageTier migrationSource,
                        StorageTier migrationTarget, String claimOwner, Instant leaseExpiry, boolean hotCopy) {
        this(instance, attributes, tier, location, lastAccessed, migrationState, migrationSource, migrationTarget,
                claimOwner, leaseExpiry, hotCopy, null);
    }

    /** A row to write with the header kept at ingest (null: none kept). */
    public CatalogEntry(StoredInstance instance, Map<Integer, String> attributes, StorageTier tier, String location,
                        Instant lastAccessed, MigrationState migrationState, StorageTier migrationSource,
                        StorageTier migrationTarget, String claimOwner, Instant leaseExpiry, StoredHeader header) {
        this(instance, attributes, tier, location, lastAccessed, migrationState, migrationSource, migrationTarget,
                claimOwner, leaseExpiry, false, header);
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
        return stored(instance, attributes, tier, location, null);
    }

    /** A freshly stored instance with the header kept at ingest (null: none kept). */
    public static CatalogEntry stored(StoredInstance instance, Map<Integer, String> attributes,
                                      StorageTier tier, String location, StoredHeader header) {
        return new CatalogEntry(instance, attributes, tier, location, null, MigrationState.NONE, null, null, null,
                null, header);
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
