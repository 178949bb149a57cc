package org.pacs.storage.hsm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pacs.storage.ArchivalBackend;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;

/**
 * The backend behind each tier, checked once: hot is required; two tiers may share one backend object only
 * when it is an {@link ArchivalBackend} and both tiers name a provider class, since a byte copy onto the same
 * store followed by "delete the source" would delete the only copy.
 */
final class HsmTiers {

    private final Map<StorageTier, StorageBackend> backends;
    private final Map<StorageTier, String> classes;

    HsmTiers(Map<StorageTier, StorageBackend> backends, Map<StorageTier, String> inPlaceClasses) {
        this.backends = new EnumMap<>(StorageTier.class);
        backends.forEach((t, b) -> {
            if (b != null) {
                this.backends.put(t, b);
            }
        });
        this.classes = new EnumMap<>(StorageTier.class);
        this.classes.putAll(inPlaceClasses);
        if (!this.backends.containsKey(StorageTier.HOT)) {
            throw StorageException.invalidInput("HSM needs a hot tier backend; configure tiers.hot.");
        }
        for (StorageTier a : this.backends.keySet()) {
            for (StorageTier b : this.backends.keySet()) {
                if (a.ordinal() < b.ordinal() && this.backends.get(a) == this.backends.get(b)) {
                    if (!(this.backends.get(a) instanceof ArchivalBackend)) {
                        throw StorageException.invalidInput("Tiers " + a + " and " + b + " share one backend that"
                                + " has no storage classes; give each tier its own backend.");
                    }
                    if (!classes.containsKey(a) || !classes.containsKey(b)) {
                        throw StorageException.invalidInput("Tiers " + a + " and " + b + " share one backend, so"
                                + " both need an in-place storage class (e.g. STANDARD and GLACIER).");
                    }
                }
            }
        }
    }

    boolean has(StorageTier tier) {
        return backends.containsKey(tier);
    }

    StorageBackend backend(StorageTier tier) {
        StorageBackend b = backends.get(tier);
        if (b == null) {
            throw StorageException.invalidInput("No " + tier.name().toLowerCase() + " tier is configured; add"
                    + " tiers." + tier.name().toLowerCase() + " or pick a configured tier.");
        }
        return b;
    }

    /** True when moving between the two tiers changes the provider class instead of copying. */
    boolean inPlace(StorageTier from, StorageTier to) {
        return backends.get(from) != null && backends.get(from) == backends.get(to);
    }

    String storageClass(StorageTier tier) {
        return classes.get(tier);
    }

    /** Where the catalog says an instance in {@code tier} lives, for people reading the catalog. */
    String location(StorageTier tier) {
        StorageBackend b = backends.get(tier);
        String cls = inPlaceShared(tier) ? "#" + classes.get(tier) : "";
        return tier.name().toLowerCase() + ":" + b.getClass().getSimpleName() + cls;
    }

    private boolean inPlaceShared(StorageTier tier) {
        for (StorageTier o : backends.keySet()) {
            if (o != tier && backends.get(o) == backends.get(tier)) {
                return true;
            }
        }
        return false;
    }

    /** Configured tiers in order hot → cold. */
    List<StorageTier> tiers() {
        return new ArrayList<>(backends.keySet());
    }

    /** Each distinct backend once, for closing. */
    Set<StorageBackend> distinct() {
        Set<StorageBackend> s = Collections.newSetFromMap(new IdentityHashMap<>());
        s.addAll(backends.values());
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
