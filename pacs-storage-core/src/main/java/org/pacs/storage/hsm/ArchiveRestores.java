package org.pacs.storage.hsm;

import org.pacs.storage.ArchivalBackend;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
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
        return catalog.get(uid).map(c -> archived(tiers.backend(c.tier()), c.tier(), uid, e)).orElse(e);
    }

    StorageException archived(StorageBackend backend, StorageTier tier, SopInstanceUid uid, StorageException cause) {
        if (!(backend instanceof ArchivalBackend archive)) {
            return cause;
        }
        RestoreStatus status = archive.restoreStatus(uid);
        if (status.state() == RestoreStatus.State.ARCHIVED) {
            status = archive.requestRestore(uid, config.restoreDays(), config.restorePriority());
        }
        return new StorageException(StorageException.Reason.ARCHIVED, "Instance " + uid + " is archived in the "
                + tier.name().toLowerCase() + " tier; restore " + status.state()
                + (status.detail().isEmpty() ? "" : " (" + status.detail() + ")")
                + status.expiry().map(t -> ", readable until " + t).orElse("")
                + ". Retry once the provider has restored it (minutes to hours depending on priority "
                + config.restorePriority() + ").", cause);
    }
}
