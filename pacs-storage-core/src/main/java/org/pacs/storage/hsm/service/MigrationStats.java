package org.pacs.storage.hsm.service;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.hsm.MigrationResult;

/** Running totals over a service's cycles, for its monitoring getters. Thread-safe. */
public final class MigrationStats {

    private long cycles;
    private long migrated;
    private long bytes;
    private long skipped;
    private long failedAttempts;
    private Duration duration = Duration.ZERO;
    private MigrationResult last;

    /** Adds one cycle's result and returns the number of cycles completed so far. */
    public synchronized long record(MigrationResult r) {
        cycles++;
        migrated += r.instancesMigrated();
        bytes += r.bytesMigrated();
        skipped += r.instancesSkipped();
        failedAttempts += r.failedUids().size();
        duration = duration.plus(r.duration());
        last = r;
        return cycles;
    }

    public synchronized long cycles() {
        return cycles;
    }

    public synchronized long failedAttempts() {
        return failedAttempts;
    }

    public synchronized Optional<MigrationResult> last() {
        return Optional.ofNullable(last);
    }

    /** The totals, with {@code failing} as failed_uids (a lifetime list of every failure would only grow). */
    public synchronized MigrationResult cumulative(List<SopInstanceUid> failing) {
        return new MigrationResult(migrated, bytes, duration, failing, skipped);
    }
}
