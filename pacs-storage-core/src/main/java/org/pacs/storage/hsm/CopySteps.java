package org.pacs.storage.hsm;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.SupportsBatchedDurability.BlobBatch;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.catalog.MigrationState;

/**
 * The one state machine of a copy between tiers, for a batch of instances from one source tier (a single move is
 * a batch of one): every step for the whole batch at once, one catalog transaction per state change and one
 * {@link BlobBatch} per store, so the durable flushes are paid per batch rather than per instance.
 * <pre>
 *   NONE → COPYING (claimed) → target copies durable → checked (the target's own checksum) → COMMITTED (tier
 *        switched) → sources removed durably → NONE
 * </pre>
 * A crash anywhere leaves rows that {@link MigrationRecovery} settles, so the instance stays readable from the
 * catalog's tier and no tier keeps a copy the catalog does not account for.
 */
final class CopySteps {

    private final InstanceCatalog catalog;
    private final HsmTiers tiers;
    private final HsmStorageConfig config;
    private final MigrationRecovery recovery;
    private final LeaseKeeper leases;
    private final Supplier<Instant> lease;
    private final FaultHook faults;

    CopySteps(InstanceCatalog catalog, HsmTiers tiers, HsmStorageConfig config, MigrationRecovery recovery,
              LeaseKeeper leases, Supplier<Instant> lease) {
        this.catalog = catalog;
        this.tiers = tiers;
        this.config = config;
        this.recovery = recovery;
        this.leases = leases;
        this.lease = lease;
        this.faults = config.faultHook();
    }

    /** Runs the batch state machine; returns the instances whose first step found them claimed elsewhere. */
    List<SopInstanceUid> copyAll(List<CatalogEntry> entries, StorageTier source, StorageTier target,
                                         MigrationOutcome out) {
        String node = config.nodeId();
        entries.forEach(e -> faults.reached("before-begin"));
        List<SopInstanceUid> elsewhere = new ArrayList<>();
        List<CatalogEntry> begun = catalog.atomically(() -> {
            List<CatalogEntry> ok = new ArrayList<>();
            for (CatalogEntry e : entries) {
                if (catalog.beginMigration(uid(e), node, source, target, MigrationState.COPYING,
                        config.clock().instant(), lease.get())) {
                    ok.add(e);
                } else {
                    elsewhere.add(uid(e));
                }
            }
            return ok;
        });
        Map<CatalogEntry, StoredInstance> copied = copy(begun, source, target, out);
        List<CatalogEntry> verified = new ArrayList<>();
        copied.forEach((e, copy) -> {
            faults.reached("before-verify");
            StorageException corrupt = verify(e, target, tiers.tier(target), copy);
            if (corrupt == null) {
                verified.add(e);
                faults.reached("verified");
            } else {
                rollback(e, target);
                out.failed.put(uid(e), corrupt);
            }
        });
        boolean keepHot = keepsHotSource(source, target);
        if (keepHot || !config.deleteAfterMigration()) {
            commitAndFinish(verified, target, keepHot, out);
            return elsewhere;
        }
        List<CatalogEntry> committed = catalog.atomically(() -> {
            List<CatalogEntry> ok = new ArrayList<>();
            for (CatalogEntry e : verified) {
                // watermark release: the hot source becomes a recorded cache copy in the same update
                if (catalog.commitTier(uid(e), node, MigrationState.COPYING, tiers.location(target),
                        MigrationState.COMMITTED, lease.get(), keepHot)) {
                    ok.add(e);
                } else {
                    out.failed.put(uid(e), TierMigrator.lostClaim(uid(e)));
                }
            }
            return ok;
        });
        committed.forEach(e -> faults.reached("committed"));
        finish(committed, source, target, out);
        return elsewhere;
    }

    /** Streams each source copy into one target batch and makes it durable; what failed is rolled back. */
    private Map<CatalogEntry, StoredInstance> copy(List<CatalogEntry> begun, StorageTier source, StorageTier target,
                                                   MigrationOutcome out) {
        Map<CatalogEntry, StoredInstance> copied = new LinkedHashMap<>();
        List<CatalogEntry> notStarted = new ArrayList<>();
        TierStore from = tiers.tier(source);
        TierStore dest = tiers.tier(target);
        try (LeaseKeeper.Held held = leases.hold(begun.stream().map(CopySteps::uid).toList(),
                MigrationState.COPYING); BlobBatch to = dest.batch()) {
            for (CatalogEntry e : begun) {
                if (!out.proceed.getAsBoolean()) {
                    notStarted.add(e);
                    continue;
                }
                faults.reached("copying");
                if (target == StorageTier.HOT && e.hotCopy() && dest.verify(e.instance())) {
                    copied.put(e, e.instance()); // promoted: hot already holds these very bytes
                    faults.reached("copied");
                    continue;
                }
                try (InputStream in = from.open(e.instance())) {
                    copied.put(e, dest.copyIn(in, e.instance(), to));
                    faults.reached("copied");
                } catch (IOException | StorageException ex) {
                    rollback(e, target);
                    out.failed.put(uid(e), TierMigrator.copyFailure(uid(e), source, target, ex));
                }
            }
        } catch (StorageException commitFailed) {
            // none of the copies is known durable: every one goes back
            copied.keySet().forEach(e -> {
                rollback(e, target);
                out.failed.put(uid(e), TierMigrator.copyFailure(uid(e), source, target, commitFailed));
            });
            return Map.of();
        } finally {
            if (!notStarted.isEmpty()) { // asked to stop: these go back untouched (nothing was written for them)
                catalog.atomically(() -> {
                    notStarted.forEach(e -> catalog.finish(uid(e), config.nodeId(), MigrationState.COPYING));
                    return null;
                });
                notStarted.forEach(e -> out.unchanged.add(uid(e)));
            }
        }
        return copied;
    }

    /** Removes the source copies in one batch, then returns the rows to NONE in one transaction. */
    private void finish(List<CatalogEntry> committed, StorageTier source, StorageTier target, MigrationOutcome out) {
        List<CatalogEntry> done = new ArrayList<>(committed);
        if (config.deleteAfterMigration() && !keepsHotSource(source, target) && !committed.isEmpty()) {
            TierStore src = tiers.tier(source);
            try (BlobBatch from = src.batch()) {
                for (CatalogEntry e : committed) {
                    try {
                        src.delete(e.instance(), from);
                    } catch (StorageException ex) {
                        if (ex.reason() != StorageException.Reason.NOT_FOUND) {
                            // committed in the target; the row stays COMMITTED and recovery deletes the source
                            done.remove(e);
                            out.failed.put(uid(e), ex);
                        }
                    }
                }
            } catch (StorageException commitFailed) {
                done.forEach(e -> out.failed.put(uid(e), commitFailed));
                return; // rows stay COMMITTED: recovery removes the sources again
            }
        }
        done.forEach(e -> faults.reached("source-deleted"));
        catalog.atomically(() -> {
            long bytes = 0;
            int moved = 0;
            for (CatalogEntry e : done) {
                if (catalog.finish(uid(e), config.nodeId(), MigrationState.COMMITTED)) {
                    out.moved.add(uid(e));
                    moved++;
                    bytes += e.instance().sizeBytes();
                } else {
                    out.failed.put(uid(e), TierMigrator.lostClaim(uid(e)));
                }
            }
            // the counters once per batch, in the same transaction as the rows they count
            catalog.addToCounter(InstanceCatalog.MIGRATIONS_COMPLETED, moved);
            catalog.addToCounter(InstanceCatalog.MIGRATED_BYTES, bytes);
            return null;
        });
        done.forEach(e -> faults.reached("finished"));
    }

    /**
     * When no source copy is to be deleted (watermark: it stays as a recorded cache; delete_after_migration off),
     * nothing lies between the tier switch and the return to NONE, so both go in one transaction with the counters:
     * one durable commit per batch for the two steps. A crash before it leaves COPYING (rolled back), after it NONE.
     */
    private void commitAndFinish(List<CatalogEntry> verified, StorageTier target, boolean keepHot,
                                 MigrationOutcome out) {
        String node = config.nodeId();
        List<CatalogEntry> done = catalog.atomically(() -> {
            List<CatalogEntry> ok = new ArrayList<>();
            long bytes = 0;
            for (CatalogEntry e : verified) {
                if (catalog.commitTier(uid(e), node, MigrationState.COPYING, tiers.location(target),
                        MigrationState.COMMITTED, lease.get(), keepHot)
                        && catalog.finish(uid(e), node, MigrationState.COMMITTED)) {
                    ok.add(e);
                    bytes += e.instance().sizeBytes();
                } else {
                    out.failed.put(uid(e), TierMigrator.lostClaim(uid(e)));
                }
            }
            catalog.addToCounter(InstanceCatalog.MIGRATIONS_COMPLETED, ok.size());
            catalog.addToCounter(InstanceCatalog.MIGRATED_BYTES, bytes);
            return ok;
        });
        done.forEach(e -> {
            out.moved.add(uid(e));
            faults.reached("committed");
            faults.reached("finished");
        });
    }

    /** With release: watermark a move out of hot leaves the hot copy as a cache (released at the watermark). */
    private boolean keepsHotSource(StorageTier source, StorageTier target) {
        return source == StorageTier.HOT && config.keepsHotCopies() && !tiers.inPlace(source, target);
    }

    private void rollback(CatalogEntry e, StorageTier target) {
        recovery.rollback(e.instance(), tiers.tier(target), MigrationState.COPYING);
    }

    private static SopInstanceUid uid(CatalogEntry e) {
        return e.instance().sopInstanceUid();
    }

    /**
     * Null when the copy holds the catalog's bytes: the checksums computed while receiving them (CRC32C, else
     * SHA-256: {@link TierStore#sameBytes}), and,
     * when verify_after_migration is on, the target's own confirmation (a checksum it computed, or a re-read);
     * otherwise the CORRUPT error to raise once the copy is rolled back.
     */
    StorageException verify(CatalogEntry entry, StorageTier target, TierStore dest, StoredInstance copied) {
        SopInstanceUid uid = entry.instance().sopInstanceUid();
        String expected = entry.instance().sha256();
        boolean received = TierStore.sameBytes(entry.instance(), copied);
        if (received && (!config.verifyAfterMigration() || dest.confirmsCopy(entry.instance()))) {
            return null;
        }
        return new StorageException(StorageException.Reason.CORRUPT, "The copy of " + uid + " in " + target
                + (received ? " does not match at the target" : " does not hold the catalogued bytes, as read from the "
                + entry.tier() + " copy")
                + " (the catalog records " + entry.instance().sizeBytes() + " bytes, SHA-256 " + expected
                + (entry.instance().hasCrc32c() ? String.format(", CRC32C %08x", entry.instance().crc32c()) : "")
                + "); the copy was removed and the instance stays in " + entry.tier() + ". Check the "
                + entry.tier() + " copy with verify, and the " + target + " store.");
    }
}
