package org.pacs.storage.cli.config;

import java.time.Duration;

/** {@code hsm.policy}: the spec's tier_policy (§5.1.2), with its defaults. */
public record PolicyConfig(Duration hotToWarm, Duration warmToCold, boolean autoMigrate,
                           @ByteSize long minMigrationSize, int maxInstancesPerCycle,
                           @ByteSize long maxBytesPerCycle) {

    public static final PolicyConfig DEFAULTS = new PolicyConfig(Duration.ofDays(30), Duration.ofDays(365), true, 0,
            100, 10L << 30);

    public PolicyConfig {
        InvalidSetting.required("hot-to-warm", hotToWarm);
        InvalidSetting.required("warm-to-cold", warmToCold);
        InvalidSetting.nonNegative("max-instances-per-cycle", maxInstancesPerCycle);
    }
}
