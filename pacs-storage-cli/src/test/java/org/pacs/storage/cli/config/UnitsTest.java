package org.pacs.storage.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pacs.storage.cli.SizeConverter;
import picocli.CommandLine.TypeConversionException;

class UnitsTest {

    @Test
    void durationsTakeAUnitFromMillisecondsToDays() {
        assertThat(Units.parseDuration("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(Units.parseDuration("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(Units.parseDuration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Units.parseDuration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Units.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Units.parseDuration(" 365D ")).isEqualTo(Duration.ofDays(365));
        assertThat(Units.parseDuration("10 s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Units.parseDuration("0s")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10", "5x", "1w", "30 days", "-1s", "1.5h", "h", "", "10s5", "1e3ms"})
    void durationsWithoutAKnownUnitAreRefusedNamingTheForms(String text) {
        assertThatThrownBy(() -> Units.parseDuration(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a duration; use a whole number with a unit: ms, s, m, h or d"
                        + " (e.g. 30d, 12h, 10s, 500ms)");
    }

    @Test
    void aDurationTooLongForJavaIsRefusedNotWrapped() {
        assertThatThrownBy(() -> Units.parseDuration("99999999999999999999d"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("'99999999999999999999d' is too"
                        + " long a duration; use").hasMessageContaining("30d, 12h");
        assertThatThrownBy(() -> Units.parseDuration("999999999999999999d"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too long");
    }

    @Test
    void durationsPrintInTheirShortestExactForm() {
        assertThat(Units.formatDuration(Duration.ofDays(365))).isEqualTo("365d");
        assertThat(Units.formatDuration(Duration.ofHours(36))).isEqualTo("36h");
        assertThat(Units.formatDuration(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Units.formatDuration(Duration.ofMinutes(10))).isEqualTo("10m");
        assertThat(Units.formatDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Units.formatDuration(Duration.ZERO)).isEqualTo("0s");
        for (String s : new String[] {"30d", "12h", "10s", "500ms", "7m"}) {
            assertThat(Units.formatDuration(Units.parseDuration(s))).isEqualTo(s);
        }
    }

    @Test
    void sizesAreBytesOrBinaryOrDecimalUnits() {
        assertThat(Units.parseSize("100MiB")).isEqualTo(100L << 20);
        assertThat(Units.parseSize("10GiB")).isEqualTo(10L << 30);
        assertThat(Units.parseSize("500GiB")).isEqualTo(500L << 30);
        assertThat(Units.parseSize("2TiB")).isEqualTo(2L << 40);
        assertThat(Units.parseSize("64kib")).isEqualTo(64L << 10);
        assertThat(Units.parseSize("15GB")).isEqualTo(15_000_000_000L);
        assertThat(Units.parseSize("100 MB")).isEqualTo(100_000_000L);
        assertThat(Units.parseSize("3KB")).isEqualTo(3000L);
        assertThat(Units.parseSize("1TB")).isEqualTo(1_000_000_000_000L);
        assertThat(Units.parseSize("4096")).isEqualTo(4096L);
        assertThat(Units.parseSize("4096B")).isEqualTo(4096L);
        assertThat(Units.parseSize("0")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"big", "1.5", "-1MiB", "10m", "10g", "MiB", "", "10 GiB extra", "1e6", "0x10"})
    void sizesOutsideTheGrammarAreRefusedNamingTheForms(String text) {
        assertThatThrownBy(() -> Units.parseSize(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a size; use a byte count, optionally with a unit: B, KB, MB, GB, TB"
                        + " (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024), e.g. 100MiB");
    }

    @Test
    void aSizeBeyondALongIsRefusedNotWrapped() {
        assertThatThrownBy(() -> Units.parseSize("9223372036854775808")).hasMessageContaining("too large a size");
        assertThatThrownBy(() -> Units.parseSize("8388608TiB")).hasMessageContaining("too large a size");
        assertThat(Units.parseSize("8388607TiB")).isEqualTo(8388607L << 40);
    }

    @Test
    void sizesPrintInTheirExactBinaryFormElseAsBytes() {
        assertThat(Units.formatSize(10L << 30)).isEqualTo("10GiB");
        assertThat(Units.formatSize(1L << 40)).isEqualTo("1TiB");
        assertThat(Units.formatSize(1536)).isEqualTo("1536");
        assertThat(Units.formatSize(1000)).isEqualTo("1000");
        assertThat(Units.formatSize(0)).isEqualTo("0");
    }

    @Test
    void commandOptionsUseTheSameGrammarAndMessage() {
        SizeConverter options = new SizeConverter();
        assertThat(options.convert("512KiB")).isEqualTo(512L << 10);
        assertThatThrownBy(() -> options.convert("10m")).isInstanceOf(TypeConversionException.class)
                .hasMessage("'10m' is not a size; use " + Units.SIZE_FORMS);
    }

    @Test
    void humanBytesRoundsForSummaries() {
        assertThat(Units.humanBytes(999)).isEqualTo("999 B");
        assertThat(Units.humanBytes(12_345_678)).isEqualTo("12.3 MB");
    }
}
