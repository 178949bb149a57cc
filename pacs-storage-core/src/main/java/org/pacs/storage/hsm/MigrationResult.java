package org.pacs.storage.hsm;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.pacs.storage.SopInstanceUid;

/**
 * Spec §6.1.3: what one migration cycle (or a sum of cycles) did.
 *
 * @param instancesSkipped candidates left alone: claimed by another node, changed since selection, or over the
 *                         cycle's byte budget
 */
public record MigrationResult(long instancesMigrated, long bytesMigrated, Duration duration,
                              List<SopInstanceUid> failedUids, long instancesSkipped) {

    public static final MigrationResult EMPTY = new MigrationResult(0, 0, Duration.ZERO, List.of(), 0);

    public MigrationResult {
        if (instancesMigrated < 0 || bytesMigrated < 0 || instancesSkipped < 0) {
            throw new IllegalArgumentException("negative migration counts");
        }
        Objects.requireNonNull(duration, "duration");
        failedUids = List.copyOf(failedUids);
    }

    public boolean isSuccess() {
        return failedUids.isEmpty();
    }

    /** Migrated plus failed; skipped candidates were not processed. */
    public long totalProcessed() {
        return instancesMigrated + failedUids.size();
    }

    /** Sums two results (for cumulative statistics). */
    public MigrationResult plus(MigrationResult o) {
        List<SopInstanceUid> failed = new java.util.ArrayList<>(failedUids);
        failed.addAll(o.failedUids);
        return new MigrationResult(instancesMigrated + o.instancesMigrated, bytesMigrated + o.bytesMigrated,
                duration.plus(o.duration), failed, instancesSkipped + o.instancesSkipped);
    }
}
