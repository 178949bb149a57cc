package org.pacs.storage.hsm;

import java.time.Instant;
import java.util.function.Supplier;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.catalog.MigrationState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A store of a UID whose catalogued copy lives in a colder tier: the new bytes already sit in hot (the hot
 * backend could not know), so the duplicate policy decides which copy stays. Runs under the UID's lock and
 * this node's claim, so no migration of the UID is in flight meanwhile.
 */
final class HsmDuplicates {

    private static final Logger LOG = LoggerFactory.getLogger(HsmDuplicates.class);

    private final InstanceCatalog catalog;
    private final HsmTiers tiers;
    private final HsmStorageConfig config;
    private final Supplier<Instant> lease;

    HsmDuplicates(InstanceCatalog catalog, HsmTiers tiers, HsmStorageConfig config, Supplier<Instant> lease) {
        this.catalog = catalog;
        this.tiers = tiers;
        this.config = config;
        this.lease = lease;
    }

    StoredInstance colderDuplicate(CatalogEntry existing, CatalogEntry fresh) {
        SopInstanceUid uid = existing.instance().sopInstanceUid();
        boolean identical = existing.instance().sha256().equals(fresh.instance().sha256());
        DuplicatePolicy policy = config.duplicatePolicy();
        if (!catalog.claim(uid, config.nodeId(), config.clock().instant(), lease.get())) {
            // another node is moving it; the hot copy is left for the next integrity check to report
            throw new StorageException(StorageException.Reason.UNAVAILABLE, "Instance " + uid + " is being moved"
                    + " by another node; store it again later.");
        }
        try {
            CatalogEntry now = catalog.get(uid).orElseThrow(() -> StorageException.notFound(uid));
            if (now.migrationState() != MigrationState.NONE || now.tier() != existing.tier()) {
                throw new StorageException(StorageException.Reason.UNAVAILABLE, "Instance " + uid
                        + " changed tier during the store; store it again.");
            }
            if (policy == DuplicatePolicy.REPLACE && !identical) {
                // commit the new hot copy first, then drop the old colder one: a crash in between leaves an
                // orphan the integrity check reports, never a lost instance
                if (!catalog.replace(fresh)) {
                    throw new StorageException(StorageException.Reason.UNAVAILABLE, "Instance " + uid
                            + " changed during the store; store it again.");
                }
                removeQuietly(existing.tier(), uid);
                return fresh.instance();
            }
            removeQuietly(StorageTier.HOT, uid);
            if (policy == DuplicatePolicy.REJECT
                    || (policy == DuplicatePolicy.IGNORE_IDENTICAL_REJECT_DIFFERENT && !identical)) {
                throw new StorageException(StorageException.Reason.ALREADY_EXISTS, "Instance " + uid + " is stored"
                        + " already" + (identical ? "" : " with different content (SHA-256 "
                        + existing.instance().sha256() + ")") + "; give the new object a new SOP Instance UID or"
                        + " remove the old one first.");
            }
            return existing.instance();
        } finally {
            catalog.release(uid, config.nodeId());
        }
    }

    private void removeQuietly(StorageTier tier, SopInstanceUid uid) {
        try {
            tiers.backend(tier).remove(uid);
        } catch (StorageException e) {
            if (e.reason() != StorageException.Reason.NOT_FOUND) {
                LOG.warn("Could not remove the superseded {} copy of {}: {}", tier, uid, e.getMessage());
            }
        }
    }
}
