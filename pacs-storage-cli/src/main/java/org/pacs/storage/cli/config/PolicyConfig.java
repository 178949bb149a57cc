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

    public PolicyConfig withHotToWarm(Duration d) {
        return new PolicyConfig(d, warmToCold, autoMigrate, minMigrationSize, maxInstancesPerCycle, maxBytesPerCycle);
    }

    public PolicyConfig withWarmToCold(Duration d) {
        return new PolicyConfig(hotToWarm, d, autoMigrate, minMigrationSize, maxInstancesPerCycle, maxBytesPerCycle);
    }

    public PolicyConfig withAutoMigrate(boolean b) {
        return new PolicyConfig(hotToWarm, warmToCold, b, minMigrationSize, maxInstancesPerCycle, maxBytesPerCycle);
    }

    public PolicyConfig withMinMigrationSize(long bytes) {
        return new PolicyConfig(hotToWarm, warmToCold, autoMigrate, bytes, maxInstancesPerCycle, maxBytesPerCycle);
    }

    public PolicyConfig withMaxInstancesPerCycle(int n) {
        return new PolicyConfig(hotToWarm, warmToCold, autoMigrate, minMigrationSize, n, maxBytesPerCycle);
    }

    public PolicyConfig withMaxBytesPerCycle(long bytes) {
        return new PolicyConfig(hotToWarm, warmToCold, autoMigrate, minMigrationSize, maxInstancesPerCycle, bytes);
    }
}
