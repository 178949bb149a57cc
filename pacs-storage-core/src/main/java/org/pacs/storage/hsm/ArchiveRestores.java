package org.pacs.storage.hsm;

import org.pacs.storage.RestoreStatus;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.SupportsArchiveClasses;
import org.pacs.storage.catalog.InstanceCatalog;

/**
 * What a read of an archived instance does: ask the provider for a restore once (a restore already in progress
 * is not asked again) and tell the caller, with the restore status, to come back later.
 */
final class ArchiveRestores {

    private final HsmStorageConfig config;

    ArchiveRestores(HsmStorageConfig config) {
        this.config = config;
    }

    /**
     * For a migration that failed because its source is archived: the restore request and error of
     * {@link #archived}; any other error as it is.
     */
    StorageException ifArchived(StorageException e, SopInstanceUid uid, InstanceCatalog catalog, HsmTiers tiers) {
        if (e.reason() != StorageException.Reason.ARCHIVED) {
            return e;
        }
        return catalog.get(uid).map(c -> archived(tiers.tier(c.tier()), c.instance(), e)).orElse(e);
    }

    StorageException archived(TierStore tier, StoredInstance instance, StorageException cause) {
        SupportsArchiveClasses archive = tier.archive().orElse(null);
        if (archive == null) {
            return cause;
        }
        String key = tier.key(instance);
        RestoreStatus status;
        try {
            status = archive.restoreStatus(key);
            if (status.state() == RestoreStatus.State.ARCHIVED) {
                status = archive.requestRestore(key, config.restoreDays(), config.restorePriority());
            }
        } catch (StorageException e) {
            // the read's answer stays ARCHIVED: the failed request is said, and the next read asks again
            return new StorageException(StorageException.Reason.ARCHIVED, "Instance " + instance.sopInstanceUid()
                    + " is archived in the " + tier.tier().name().toLowerCase() + " tier: " + cause.getMessage()
                    + " Asking for its restore failed (" + e.getMessage() + "); read it again later to ask again,"
                    + " or run 'restore'.", cause);
        }
        return new StorageException(StorageException.Reason.ARCHIVED, "Instance " + instance.sopInstanceUid()
                + " is archived in the " + tier.tier().name().toLowerCase() + " tier; restore " + status.state()
                + (status.detail().isEmpty() ? "" : " (" + status.detail() + ")")
                + status.expiry().map(t -> ", readable until " + t).orElse("")
                + ". Retry once the provider has restored it (minutes to hours depending on priority "
                + config.restorePriority() + ").", cause);
    }

    /** The restore status of an instance's blob; NOT_ARCHIVED for a tier without archive classes. */
    static RestoreStatus status(TierStore tier, StoredInstance instance) {
        return tier.archive().map(a -> a.restoreStatus(tier.key(instance))).orElseGet(() -> RestoreStatus.of(
                RestoreStatus.State.NOT_ARCHIVED, "tier " + tier.tier().name().toLowerCase()
                        + " never archives; the instance is readable now"));
    }
}
