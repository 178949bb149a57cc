package org.pacs.storage.hsm;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pacs.storage.StorageException;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.blob.SupportsArchiveClasses;

/**
 * The blob store behind each tier, checked once: hot is required; two tiers may share one store only when it has
 * storage classes and both tiers name one, since a byte copy onto the same store followed by "delete the source"
 * would delete the only copy.
 */
final class HsmTiers {

    private final Map<StorageTier, TierStore> stores = new EnumMap<>(StorageTier.class);
    private final Map<StorageTier, String> classes;
    /** Every store's catalog location, computed once: a store and each migration step name one. */
    private final Map<StorageTier, String> locations = new EnumMap<>(StorageTier.class);

    HsmTiers(Map<StorageTier, BlobStore> blobStores, Map<StorageTier, String> inPlaceClasses, Clock clock) {
        blobStores.forEach((t, b) -> {
            if (b != null) {
                stores.put(t, new TierStore(t, b, clock));
            }
        });
        this.classes = new EnumMap<>(StorageTier.class);
        this.classes.putAll(inPlaceClasses);
        if (!stores.containsKey(StorageTier.HOT)) {
            throw StorageException.invalidInput("HSM needs a hot tier; configure tiers.hot.");
        }
        for (StorageTier a : stores.keySet()) {
            for (StorageTier b : stores.keySet()) {
                if (a.ordinal() < b.ordinal() && blobs(a) == blobs(b)) {
                    if (!(blobs(a) instanceof SupportsArchiveClasses)) {
                        throw StorageException.invalidInput("Tiers " + a + " and " + b + " share one store that"
                                + " has no storage classes; give each tier its own store.");
                    }
                    if (!classes.containsKey(a) || !classes.containsKey(b)) {
                        throw StorageException.invalidInput("Tiers " + a + " and " + b + " share one store, so"
                                + " both need an in-place storage class (e.g. STANDARD and GLACIER).");
                    }
                }
            }
        }
        for (StorageTier t : stores.keySet()) {
            String cls = inPlaceShared(t) ? "#" + classes.get(t) : "";
            locations.put(t, t.name().toLowerCase() + ":" + blobs(t).describe() + cls);
        }
    }

    boolean has(StorageTier tier) {
        return stores.containsKey(tier);
    }

    TierStore tier(StorageTier tier) {
        TierStore s = stores.get(tier);
        if (s == null) {
            throw StorageException.invalidInput("No " + tier.name().toLowerCase() + " tier is configured; add"
                    + " tiers." + tier.name().toLowerCase() + " or pick a configured tier.");
        }
        return s;
    }

    BlobStore blobs(StorageTier tier) {
        return tier(tier).blobs();
    }

    /** True when moving between the two tiers changes the provider class instead of copying. */
    boolean inPlace(StorageTier from, StorageTier to) {
        return stores.containsKey(from) && stores.containsKey(to) && blobs(from) == blobs(to);
    }

    String storageClass(StorageTier tier) {
        return classes.get(tier);
    }

    /** Where the catalog says an instance in {@code tier} lives, for people reading the catalog. */
    String location(StorageTier tier) {
        tier(tier); // INVALID_INPUT for a tier not configured
        return locations.get(tier);
    }

    private boolean inPlaceShared(StorageTier tier) {
        for (StorageTier o : stores.keySet()) {
            if (o != tier && blobs(o) == blobs(tier)) {
                return true;
            }
        }
        return false;
    }

    /** Configured tiers in order hot → cold. */
    List<StorageTier> tiers() {
        return new ArrayList<>(stores.keySet());
    }

    /** Each distinct store once, for closing. */
    Set<BlobStore> distinct() {
        Set<BlobStore> s = Collections.newSetFromMap(new IdentityHashMap<>());
        stores.values().forEach(t -> s.add(t.blobs()));
        return s;
    }

    /** Policy directions between configured tiers: hot→warm, warm→cold, or hot→cold without a warm tier. */
    List<StorageTier[]> policyDirections() {
        List<StorageTier[]> out = new ArrayList<>();
        if (has(StorageTier.WARM)) {
            out.add(new StorageTier[] {StorageTier.HOT, StorageTier.WARM});
            if (has(StorageTier.COLD)) {
                out.add(new StorageTier[] {StorageTier.WARM, StorageTier.COLD});
            }
        } else if (has(StorageTier.COLD)) {
            out.add(new StorageTier[] {StorageTier.HOT, StorageTier.COLD});
        }
        return out;
    }
}
