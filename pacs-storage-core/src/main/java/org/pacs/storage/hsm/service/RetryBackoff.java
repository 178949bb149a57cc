package org.pacs.storage.hsm.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.pacs.storage.SopInstanceUid;

/**
 * Per-instance retry schedule after failed migrations: the n-th consecutive failure makes the instance wait
 * {@code initial * 2^(n-1)}, capped at {@code max}, measured on the service's clock. Kept in memory per node: a
 * restart retries everything at once, which is the behaviour an operator who just fixed a tier wants.
 */
public final class RetryBackoff {

    /** Consecutive failures so far and the earliest instant of the next attempt. */
    public record Entry(int failures, Instant nextAttempt, String lastError) { }

    private final Clock clock;
    private final Duration initial;
    private final Duration max;
    private final Map<SopInstanceUid, Entry> entries = new ConcurrentHashMap<>();

    public RetryBackoff(Clock clock, Duration initial, Duration max) {
        this.clock = clock;
        this.initial = initial;
        this.max = max;
    }

    public Entry recordFailure(SopInstanceUid uid, String error) {
        Instant now = clock.instant();
        return entries.compute(uid, (k, old) -> {
            int n = old == null ? 1 : old.failures() + 1;
            return new Entry(n, now.plus(delayAfter(n)), error);
        });
    }

    public void recordSuccess(SopInstanceUid uid) {
        entries.remove(uid);
    }

    /** The wait after {@code failures} consecutive failures. */
    public Duration delayAfter(int failures) {
        if (failures < 1) {
            return Duration.ZERO;
        }
        Duration d = initial;
        for (int i = 1; i < failures && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }

    /** Instances whose next attempt is still in the future: a cycle leaves them alone. */
    public Set<SopInstanceUid> waiting() {
        Instant now = clock.instant();
        return entries.entrySet().stream().filter(e -> e.getValue().nextAttempt().isAfter(now))
                .map(Map.Entry::getKey).collect(Collectors.toUnmodifiableSet());
    }

    /** Every instance whose latest attempt failed, waiting or due. */
    public Map<SopInstanceUid, Entry> failing() {
        return Map.copyOf(entries);
    }
}
