package org.pacs.storage.hsm;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.pacs.storage.SopInstanceUid;

/**
 * Spec §5.1.5: where one instance lives and how old and idle it is.
 *
 * @param lastAccessed null until a retrieve was recorded (see {@link #lastAccess()})
 */
public record TierMetadata(SopInstanceUid sopInstanceUid, StorageTier currentTier, Instant storedAt,
                           Instant lastAccessed, long sizeBytes, String studyInstanceUid, String seriesInstanceUid,
                           String sha256) {

    public TierMetadata {
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
        Objects.requireNonNull(currentTier, "currentTier");
        Objects.requireNonNull(storedAt, "storedAt");
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes < 0");
        }
    }

    public Optional<Instant> lastAccess() {
        return Optional.ofNullable(lastAccessed);
    }

    public Duration age(Instant now) {
        return Duration.between(storedAt, now);
    }

    /** Idle time: since the last access when one is known, else since storage. */
    public Duration timeSinceAccess(Instant now) {
        return Duration.between(lastAccessed != null ? lastAccessed : storedAt, now);
    }

    public boolean shouldMigrate(TierPolicy policy, StorageTier target, Instant now) {
        Duration threshold = policy.idleThreshold(currentTier, target);
        return threshold != null && sizeBytes >= policy.minMigrationSize()
                && timeSinceAccess(now).compareTo(threshold) >= 0;
    }
}
