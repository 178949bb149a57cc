package org.pacs.storage.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {

    @Test
    void durations() {
        assertThat(Units.parseDuration("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(Units.parseDuration("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(Units.parseDuration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Units.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Units.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> Units.parseDuration("10")).hasMessageContaining("30d, 12h, 10s");
        assertThatThrownBy(() -> Units.parseDuration("5x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Units.parseDuration("1w")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Units.formatDuration(Duration.ofDays(365))).isEqualTo("365d");
        assertThat(Units.formatDuration(Duration.ofSeconds(90))).isEqualTo("90s");
    }

    @Test
    void sizes() {
        assertThat(Units.parseSize("100MiB")).isEqualTo(100L << 20);
        assertThat(Units.parseSize("10GiB")).isEqualTo(10L << 30);
        assertThat(Units.parseSize("64kib")).isEqualTo(64L << 10);
        assertThat(Units.parseSize("15GB")).isEqualTo(15_000_000_000L);
        assertThat(Units.parseSize("4096")).isEqualTo(4096L);
        assertThat(Units.parseSize("0")).isZero();
        assertThatThrownBy(() -> Units.parseSize("big")).hasMessageContaining("100MiB");
        assertThatThrownBy(() -> Units.parseSize("1.5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Units.parseSize("-1MiB")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Units.formatSize(10L << 30)).isEqualTo("10GiB");
        assertThat(Units.formatSize(1000)).isEqualTo("1000");
    }
}
