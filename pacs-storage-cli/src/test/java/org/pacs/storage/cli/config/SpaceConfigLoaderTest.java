package org.pacs.storage.cli.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pacs.storage.cli.UsageException;

/** hsm.release, the watermarks, recall-on-read and tiers.NAME.capacity as the loader reads and refuses them. */
class SpaceConfigLoaderTest {

    private static final String TIERS = """
            tiers:
              hot:
                type: recording
                root-path: /data/hot
                capacity: 500GiB
            """;

    private final ConfigLoader loader = new ConfigLoader(Map.of(), Path.of("."));

    @Test
    void defaultsAreImmediateNinetyEightyAndNoRecall() {
        CliConfig c = loader.parse("""
                tiers:
                  hot:
                    type: recording
                    root-path: /data/hot
                """, "a.yaml");
        assertThat(c.hsm().release()).isEqualTo(HsmConfig.Release.IMMEDIATE);
        assertThat(c.hsm().deleteAfterMigration()).isTrue();
        assertThat(c.hsm().highWatermark()).isEqualTo(0.90);
        assertThat(c.hsm().lowWatermark()).isEqualTo(0.80);
        assertThat(c.hsm().recallOnRead()).isFalse();
        assertThat(c.hot().capacity()).isEmpty();
    }

    @Test
    void readsReleaseWatermarksAsFractionsOrPercentagesAndTheCapacity() {
        CliConfig c = loader.parse(TIERS + """
                hsm:
                  release: watermark
                  high-watermark: 95%
                  low-watermark: 0.7
                  recall-on-read: true
                """, "b.yaml");
        assertThat(c.hsm().release()).isEqualTo(HsmConfig.Release.WATERMARK);
        assertThat(c.hsm().highWatermark()).isEqualTo(0.95);
        assertThat(c.hsm().lowWatermark()).isEqualTo(0.7);
        assertThat(c.hsm().recallOnRead()).isTrue();
        assertThat(c.hot().capacity()).hasValue(500L << 30);
        assertThat(c.hot().settings()).as("capacity is the archive's key, not the backend's")
                .doesNotContainKey("capacity");
        assertThat(Units.formatFraction(0.95)).isEqualTo("95%");
        assertThat(Units.formatFraction(0.125)).isEqualTo("12.5%");
    }

    @Test
    void badValuesNameFileLineKeyAndTheAcceptedForms() {
        assertThatThrownBy(() -> loader.parse(TIERS + "hsm:\n  release: later\n", "c.yaml"))
                .isInstanceOf(UsageException.class).hasMessageContaining("c.yaml:7")
                .hasMessageContaining("hsm.release").hasMessageContaining("immediate").hasMessageContaining("watermark");
        assertThatThrownBy(() -> loader.parse(TIERS + "hsm:\n  high-watermark: 120%\n", "d.yaml"))
                .isInstanceOf(UsageException.class).hasMessageContaining("d.yaml:7")
                .hasMessageContaining("hsm.high-watermark").hasMessageContaining("percentage");
        assertThatThrownBy(() -> loader.parse(TIERS + "hsm:\n  high-watermark: 70%\n", "e.yaml"))
                .isInstanceOf(UsageException.class).hasMessageContaining("low-watermark")
                .hasMessageContaining("below the high-watermark (70%)");
        assertThatThrownBy(() -> loader.parse("""
                tiers:
                  hot:
                    type: recording
                    capacity: lots
                """, "f.yaml")).isInstanceOf(UsageException.class).hasMessageContaining("f.yaml:4")
                .hasMessageContaining("tiers.hot.capacity").hasMessageContaining("GB");
        assertThatThrownBy(() -> loader.parse(TIERS + """
                hsm:
                  release: watermark
                  delete-after-migration: true
                """, "g.yaml")).isInstanceOf(UsageException.class).hasMessageContaining("g.yaml:8")
                .hasMessageContaining("means release: immediate");
    }
}
