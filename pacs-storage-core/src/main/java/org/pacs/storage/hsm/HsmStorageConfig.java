package org.pacs.storage.hsm;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.pacs.storage.ArchivalBackend.RestorePriority;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.StorageException;

/**
 * Spec §5.1.3 plus what a persistent, multi-node HSM needs.
 *
 * @param policy               when instances move
 * @param trackAccessTime      record last_accessed on retrieve (batched, see {@code accessFlushThreshold})
 * @param verifyAfterMigration compare the target's SHA-256 with the catalog's before committing a move
 * @param deleteAfterMigration remove the source copy once the move is committed
 * @param inPlaceClasses       per target tier, a provider class (e.g. "GLACIER", "Archive") to switch to in place
 *                             when source and target tier are the same {@link org.pacs.storage.ArchivalBackend}
 *                             object, instead of copying bytes
 * @param clock                every timestamp (stored_at, last_accessed, leases, policy ages) comes from it
 * @param nodeId               this node's name in migration claims; must be unique among nodes sharing a catalog
 *                             and stable across restarts (a restarted node resumes its own claims at once)
 * @param claimLease           how long a migration claim holds before another node may take it over
 * @param accessFlushThreshold pending access times that trigger a flush in one transaction
 * @param accessFlushInterval  pending access times are flushed at least this often (and at close)
 * @param restoreDays          days a restored archive copy stays readable
 * @param restorePriority      restore speed asked of the provider
 * @param restoreOnRead        a read of an archived instance asks for its restore (default true)
 * @param faultHook            reached at every migration step, for crash tests; {@link FaultHook#NONE} otherwise
 * @param space                release mode, watermarks, tier capacities and recall on read ({@link SpaceConfig})
 * @param duplicatePolicy      what storing a UID the catalog knows does (default: identical ignored, different
 *                             rejected); give the hot backend the same policy
 */
public record HsmStorageConfig(TierPolicy policy, boolean trackAccessTime, boolean verifyAfterMigration,
                               boolean deleteAfterMigration, Map<StorageTier, String> inPlaceClasses, Clock clock,
                               String nodeId, Duration claimLease, int accessFlushThreshold,
                               Duration accessFlushInterval, int restoreDays, RestorePriority restorePriority,
                               DuplicatePolicy duplicatePolicy, FaultHook faultHook,
                               boolean restoreOnRead, SpaceConfig space) {

    public HsmStorageConfig {
        Objects.requireNonNull(policy, "policy");
        inPlaceClasses = Map.copyOf(inPlaceClasses == null ? Map.of() : inPlaceClasses);
        Objects.requireNonNull(clock, "clock");
        if (nodeId == null || nodeId.isBlank() || nodeId.length() > 128) {
            throw StorageException.invalidInput("HSM node id must be 1 to 128 characters, got '" + nodeId + "'.");
        }
        if (claimLease == null || claimLease.isNegative() || claimLease.isZero()) {
            throw StorageException.invalidInput("claim_lease must be positive, got " + claimLease + ".");
        }
        if (accessFlushThreshold <= 0) {
            throw StorageException.invalidInput("access_flush_threshold must be > 0, got " + accessFlushThreshold
                    + ".");
        }
        if (accessFlushInterval == null || accessFlushInterval.isNegative() || accessFlushInterval.isZero()) {
            throw StorageException.invalidInput("access_flush_interval must be positive, got "
                    + accessFlushInterval + ".");
        }
        if (restoreDays <= 0) {
            throw StorageException.invalidInput("restore_days must be > 0, got " + restoreDays + ".");
        }
        Objects.requireNonNull(restorePriority, "restorePriority");
        duplicatePolicy = duplicatePolicy == null ? DuplicatePolicy.IGNORE_IDENTICAL_REJECT_DIFFERENT : duplicatePolicy;
        faultHook = faultHook == null ? FaultHook.NONE : faultHook;
        space = space == null ? SpaceConfig.DEFAULTS : space;
    }

    /**
     * The spec's defaults; the node id is unique per process (host, pid and a random part), so two processes on
     * one host never take each other's migration claims: another process's rows are recovered only once their
     * lease expires.
     */
    public static HsmStorageConfig defaults() {
        return new HsmStorageConfig(TierPolicy.DEFAULT, true, true, true, Map.of(), Clock.systemUTC(), processNodeId(),
                Duration.ofMinutes(15), 1000, Duration.ofSeconds(10), 7, RestorePriority.STANDARD, DuplicatePolicy.IGNORE_IDENTICAL_REJECT_DIFFERENT, FaultHook.NONE, true,
                SpaceConfig.DEFAULTS);
    }

    /** host:pid:random, at most 128 characters. */
    public static String processNodeId() {
        String host = hostName();
        String id = host + ":" + ProcessHandle.current().pid() + ":"
                + Long.toHexString(new java.security.SecureRandom().nextLong() & 0xffffffffffffL);
        return id.length() <= 128 ? id : id.substring(id.length() - 128);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }

    public HsmStorageConfig withPolicy(TierPolicy v) {
        return new HsmStorageConfig(v, trackAccessTime, verifyAfterMigration, deleteAfterMigration, inPlaceClasses,
                clock, nodeId, claimLease, accessFlushThreshold, accessFlushInterval, restoreDays, restorePriority, duplicatePolicy, faultHook, restoreOnRead, space);
    }

    public HsmStorageConfig withTrackAccessTime(boolean v) {
        return new HsmStorageConfig(policy, v, verifyAfterMigration, deleteAfterMigration, inPlaceClasses,
                clock, nodeId, claimLease, accessFlushThreshold, accessFlushInterval, restoreDays, restorePriority, duplicatePolicy, faultHook, restoreOnRead, space);
    }

    public HsmStorageConfig withVerifyAfterMigration(boolean v) {
        return new HsmStorageConfig(policy, trackAccessTime, v, deleteAfterMigration, inPlaceClasses,
                clock, nodeId, claimLease, accessFlushThreshold, accessFlushInterval, restoreDays, restorePriority, duplicatePolicy, faultHook, restoreOnRead, space);
    }

    public HsmStorageConfig withDeleteAfterMigration(boolean v) {
        return new HsmStorageConfig(policy, trackAccessTime, verifyAfterMigration, v, inPlaceClasses,
                clock, nodeId, claimLease, accessFlushThreshold, accessFlushInterval, restoreDays, restorePriority, duplicatePolicy, faultHook, restoreOnRead, space);
    }

    /** Moving into {@code tier} changes the provider class to {@code storageClass} in place where possible. */
    public HsmStorageConfig withInPlaceClass(StorageTier tier, String storageClass) {
        EnumMap<StorageTier, String> m = new EnumMap<>(StorageTier.class);
        m.putAll(inPlaceClasses);
        m.put(tier, storageClass);
        return new HsmStorageConfig(policy, trackAccessTime, verifyAfterMigration, deleteAfterMigration, m,
                clock, nodeId, claimLease, accessFlushThreshold, accessFlushInterval, restoreDays, restorePriority, duplicatePolicy, faultHook, restoreOnRead, space);
    }

    public HsmStorageConfig withClock(Clock v) {
        return new HsmStorageConfig(policy, trackAccessTime, verifyAfterMigration, deleteAfterMigration,
                inPlaceClasses, v, nodeId, claimLease, accessFlushThreshold, accessFlushInterval, restoreDays,
                restorePriority, duplicatePolicy, faultHook, restoreOnRead, space);
    }

    public HsmStorageConfig withNodeId(String v) {
        return new HsmStorageConfig(policy, trackAccessTime, verifyAfterMigration, deleteAfterMigration,
                inPlaceClasses, clock, v, claimLease, accessFlushThreshold, accessFlushInterval, restoreDays,
                restorePriority, duplicatePolicy, faultHook, restoreOnRead, space);
    }

    public HsmStorageConfig withClaimLease(Duration v) {
        return new HsmStorageConfig(policy, trackAccessTime, verifyAfterMigration, deleteAfterMigration,
                inPlaceClasses, clock, nodeId, v, accessFlushThreshold, accessFlushInterval, restoreDays,
                restorePriority, duplicatePolicy, faultHook, restoreOnRead, space);
    }

    public HsmStorageConfig withAccessFlush(int threshold, Duration interval) {
        return new HsmStorageConfig(policy, trackAccessTime, verifyAfterMigration, deleteAfterMigration,
                inPlaceClasses, clock, nodeId, claimLease, threshold, interval, restoreDays, restorePriority, duplicatePolicy, faultHook, restoreOnRead, space);
    }

    public HsmStorageConfig withRestore(int days, RestorePriority priority) {
        return new HsmStorageConfig(policy, trackAccessTime, verifyAfterMigration, deleteAfterMigration,
                inPlaceClasses, clock, nodeId, claimLease, accessFlushThreshold, accessFlushInterval, days, priority, duplicatePolicy, faultHook, restoreOnRead, space);
    }

    public HsmStorageConfig withDuplicatePolicy(DuplicatePolicy v) {
        return new HsmStorageConfig(policy, trackAccessTime, verifyAfterMigration, deleteAfterMigration,
                inPlaceClasses, clock, nodeId, claimLease, accessFlushThreshold, accessFlushInterval, restoreDays,
                restorePriority, v, faultHook, restoreOnRead, space);
    }

    /** Test hook reached at each step of a migration (crash tests halt the JVM there); NONE in production. */
    public HsmStorageConfig withFaultHook(FaultHook v) {
        return new HsmStorageConfig(policy, trackAccessTime, verifyAfterMigration, deleteAfterMigration,
                inPlaceClasses, clock, nodeId, claimLease, accessFlushThreshold, accessFlushInterval, restoreDays,
                restorePriority, duplicatePolicy, v, restoreOnRead, space);
    }

    /**
     * Whether a read that finds its instance archived asks the provider for a restore (the archive's behaviour,
     * default) or only answers ARCHIVED (a standalone backend: a restore request is billed, so the caller asks).
     */
    public HsmStorageConfig withRestoreOnRead(boolean v) {
        return new HsmStorageConfig(policy, trackAccessTime, verifyAfterMigration, deleteAfterMigration,
                inPlaceClasses, clock, nodeId, claimLease, accessFlushThreshold, accessFlushInterval, restoreDays,
                restorePriority, duplicatePolicy, faultHook, v, space);
    }

    /** Release mode, watermarks, capacities, recall on read. */
    public HsmStorageConfig withSpace(SpaceConfig v) {
        return new HsmStorageConfig(policy, trackAccessTime, verifyAfterMigration, deleteAfterMigration,
                inPlaceClasses, clock, nodeId, claimLease, accessFlushThreshold, accessFlushInterval, restoreDays,
                restorePriority, duplicatePolicy, faultHook, restoreOnRead, v);
    }

    /**
     * Whether a migration removes its hot source now: release IMMEDIATE with delete_after_migration, while
     * WATERMARK keeps it as a recorded cache copy for the release pass.
     */
    public boolean keepsHotCopies() {
        return space.watermark();
    }
}
