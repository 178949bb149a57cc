package org.pacs.storage.hsm;

import java.util.Locale;
import org.pacs.storage.StorageException;

/** Spec §5.1.1. The order is meaningful: a higher ordinal is slower and cheaper. */
public enum StorageTier {
    /** Recent, frequently accessed (SSD/NVMe). */
    HOT,
    /** Older, occasionally accessed (HDD or a cool object class). */
    WARM,
    /** Archive, rarely accessed (S3 Glacier, Azure Archive). */
    COLD;

    /** The next slower tier, or null for COLD. */
    public StorageTier colder() {
        return this == HOT ? WARM : this == WARM ? COLD : null;
    }

    public static StorageTier parse(String value) {
        if (value == null) {
            throw StorageException.invalidInput("Storage tier is missing; use hot, warm or cold.");
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw StorageException.invalidInput("Unknown storage tier '" + value + "'; use hot, warm or cold.");
        }
    }
}
