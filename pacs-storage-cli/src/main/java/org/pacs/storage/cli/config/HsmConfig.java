package org.pacs.storage.cli.config;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The {@code hsm} section: the spec's hsm_storage_config (§5.1.3), with its defaults, and space management:
 * {@code release} (immediate: a migration deletes its hot source, as {@code delete-after-migration: true} always
 * did; watermark: the hot copy stays as a cache until hot passes {@code high-watermark} of its capacity, then the
 * least recently used go down to {@code low-watermark}) and {@code recall-on-read}.
 */
public record HsmConfig(PolicyConfig policy, boolean trackAccessTime, boolean verifyAfterMigration,
                        boolean deleteAfterMigration, Release release, @Fraction double highWatermark,
                        @Fraction double lowWatermark, boolean recallOnRead) {

    /** {@code hsm.release}. */
    public enum Release {
        IMMEDIATE, WATERMARK;

        @JsonValue
        String text() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final HsmConfig DEFAULTS = new HsmConfig(PolicyConfig.DEFAULTS, true, true, true, Release.IMMEDIATE,
            0.90, 0.80, false);

    public HsmConfig {
        InvalidSetting.required("policy", policy);
        InvalidSetting.required("release", release);
        if (highWatermark <= 0) {
            throw new InvalidSetting("high-watermark", "'" + highWatermark + "' must be above 0; use e.g. 90%");
        }
        if (lowWatermark >= highWatermark) {
            throw new InvalidSetting("low-watermark", "'" + Units.formatFraction(lowWatermark)
                    + "' must be below the high-watermark (" + Units.formatFraction(highWatermark) + ")");
        }
    }

    /** The spec's four fields; space management at its defaults. */
    public HsmConfig(PolicyConfig policy, boolean trackAccessTime, boolean verifyAfterMigration,
                     boolean deleteAfterMigration) {
        this(policy, trackAccessTime, verifyAfterMigration, deleteAfterMigration, Release.IMMEDIATE, 0.90, 0.80,
                false);
    }

    public HsmConfig withPolicy(PolicyConfig p) {
        return new HsmConfig(p, trackAccessTime, verifyAfterMigration, deleteAfterMigration, release, highWatermark,
                lowWatermark, recallOnRead);
    }

    public HsmConfig withTrackAccessTime(boolean b) {
        return new HsmConfig(policy, b, verifyAfterMigration, deleteAfterMigration, release, highWatermark,
                lowWatermark, recallOnRead);
    }

    public HsmConfig withVerifyAfterMigration(boolean b) {
        return new HsmConfig(policy, trackAccessTime, b, deleteAfterMigration, release, highWatermark,
                lowWatermark, recallOnRead);
    }

    public HsmConfig withDeleteAfterMigration(boolean b) {
        return new HsmConfig(policy, trackAccessTime, verifyAfterMigration, b, release, highWatermark,
                lowWatermark, recallOnRead);
    }

    public HsmConfig withRelease(Release r) {
        return new HsmConfig(policy, trackAccessTime, verifyAfterMigration, deleteAfterMigration, r, highWatermark,
                lowWatermark, recallOnRead);
    }
}
