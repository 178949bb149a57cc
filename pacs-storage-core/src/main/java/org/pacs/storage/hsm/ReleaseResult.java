package org.pacs.storage.hsm;

import java.time.Duration;

/**
 * One release pass: hot copies deleted and their bytes, the hot tier's used bytes before and after against its
 * capacity (-1 when it has none) and the watermarks, and copies kept because their home copy could not be
 * confirmed (never the only copy) or their row was busy.
 */
public record ReleaseResult(long released, long releasedBytes, long usedBefore, long usedAfter, long capacity,
                            double highWatermark, double lowWatermark, long kept, Duration duration) {

    public static ReleaseResult nothing(long used, long capacity, SpaceConfig c) {
        return new ReleaseResult(0, 0, used, used, capacity, c.highWatermark(), c.lowWatermark(), 0, Duration.ZERO);
    }
}
