package org.pacs.storage.hsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.hsm.service.RetryBackoff;

class RetryBackoffTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final RetryBackoff backoff = new RetryBackoff(clock, Duration.ofMinutes(10), Duration.ofHours(1));
    private final SopInstanceUid uid = SopInstanceUid.of("1.2.3.4");

    @Test
    void delayDoublesPerFailureUpToTheCap() {
        assertThat(backoff.delayAfter(1)).isEqualTo(Duration.ofMinutes(10));
        assertThat(backoff.delayAfter(2)).isEqualTo(Duration.ofMinutes(20));
        assertThat(backoff.delayAfter(3)).isEqualTo(Duration.ofMinutes(40));
        assertThat(backoff.delayAfter(4)).isEqualTo(Duration.ofHours(1));
        assertThat(backoff.delayAfter(1_000_000)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aFailedInstanceWaitsOnTheClockAndSuccessForgetsIt() {
        backoff.recordFailure(uid, "disk full");
        assertThat(backoff.waiting()).containsExactly(uid);
        clock.advance(Duration.ofMinutes(9));
        assertThat(backoff.waiting()).containsExactly(uid);
        clock.advance(Duration.ofMinutes(1));
        assertThat(backoff.waiting()).isEmpty();

        RetryBackoff.Entry second = backoff.recordFailure(uid, "disk still full");
        assertThat(second.failures()).isEqualTo(2);
        assertThat(second.nextAttempt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(20)));
        assertThat(backoff.failing()).containsKey(uid);

        backoff.recordSuccess(uid);
        assertThat(backoff.waiting()).isEmpty();
        assertThat(backoff.failing()).isEmpty();
    }
}
