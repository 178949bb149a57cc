package org.pacs.storage.cli.config;

/** The {@code hsm} section: the spec's hsm_storage_config (§5.1.3), with its defaults. */
public record HsmConfig(PolicyConfig policy, boolean trackAccessTime, boolean verifyAfterMigration,
                        boolean deleteAfterMigration) {

    public static final HsmConfig DEFAULTS = new HsmConfig(PolicyConfig.DEFAULTS, true, true, true);

    public HsmConfig {
        InvalidSetting.required("policy", policy);
    }

    public HsmConfig withPolicy(PolicyConfig p) {
        return new HsmConfig(p, trackAccessTime, verifyAfterMigration, deleteAfterMigration);
    }

    public HsmConfig withTrackAccessTime(boolean b) {
        return new HsmConfig(policy, b, verifyAfterMigration, deleteAfterMigration);
    }

    public HsmConfig withVerifyAfterMigration(boolean b) {
        return new HsmConfig(policy, trackAccessTime, b, deleteAfterMigration);
    }

    public HsmConfig withDeleteAfterMigration(boolean b) {
        return new HsmConfig(policy, trackAccessTime, verifyAfterMigration, b);
    }
}
