package org.pacs.storage.azure;

import com.azure.storage.blob.models.AccessTier;
import java.util.Locale;
import org.pacs.storage.StorageException;

/** Azure block blob access tiers (spec §4.1.4, plus Cold which Azure added later). */
public enum AzureAccessTier {
    HOT("Hot"), COOL("Cool"), COLD("Cold"), ARCHIVE("Archive");

    private final String azureName;

    AzureAccessTier(String azureName) {
        this.azureName = azureName;
    }

    /** The name Azure uses on the wire and in the portal, e.g. "Cool". */
    public String azureName() {
        return azureName;
    }

    AccessTier toSdk() {
        return AccessTier.fromString(azureName);
    }

    /** Case-insensitive; throws INVALID_INPUT listing the accepted names. */
    public static AzureAccessTier parse(String value) {
        if (value != null) {
            String v = value.trim().toUpperCase(Locale.ROOT);
            for (AzureAccessTier t : values()) {
                if (t.name().equals(v)) {
                    return t;
                }
            }
        }
        throw StorageException.invalidInput("Unknown Azure access tier '" + value
                + "'; use Hot, Cool, Cold or Archive.");
    }

    /** The tier a blob reports; HOT when the service leaves it implicit (the usual account default). */
    static AzureAccessTier fromSdk(AccessTier tier) {
        return tier == null ? HOT : parse(tier.toString());
    }

    @Override
    public String toString() {
        return azureName;
    }
}
