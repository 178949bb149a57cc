package org.pacs.storage.cli.config;

import static org.pacs.storage.cli.config.SettingSpec.Kind.BOOL;
import static org.pacs.storage.cli.config.SettingSpec.Kind.DURATION;
import static org.pacs.storage.cli.config.SettingSpec.Kind.INT;
import static org.pacs.storage.cli.config.SettingSpec.Kind.SIZE;
import static org.pacs.storage.cli.config.SettingSpec.Kind.STRING;

import java.util.List;

/**
 * The CLI-owned keys: kebab-case names of the spec's fields (§5.1.2 tier_policy under {@code hsm.policy},
 * §5.1.3 hsm_storage_config, §6.1.1 migration_service_config) with the spec's defaults.
 */
final class ConfigSchema {

    static final String DEFAULT_ARCHIVE = "pacs-archive";

    static final List<SettingSpec> CATALOG = List.of(
            SettingSpec.of("url", STRING, "jdbc:sqlite:" + DEFAULT_ARCHIVE + "/catalog.db"),
            SettingSpec.of("user", STRING, null),
            new SettingSpec("password", STRING, null, true));

    static final List<SettingSpec> HSM = List.of(
            SettingSpec.of("policy.hot-to-warm", DURATION, "30d"),
            SettingSpec.of("policy.warm-to-cold", DURATION, "365d"),
            SettingSpec.of("policy.auto-migrate", BOOL, "true"),
            SettingSpec.of("policy.min-migration-size", SIZE, "0"),
            SettingSpec.of("policy.max-instances-per-cycle", INT, "100"),
            SettingSpec.of("policy.max-bytes-per-cycle", SIZE, "10GiB"),
            SettingSpec.of("track-access-time", BOOL, "true"),
            SettingSpec.of("verify-after-migration", BOOL, "true"),
            SettingSpec.of("delete-after-migration", BOOL, "true"));

    static final List<SettingSpec> MIGRATION = List.of(
            SettingSpec.of("migration-interval", DURATION, "1h"),
            SettingSpec.of("max-concurrent-migrations", INT, "4"),
            SettingSpec.of("auto-start", BOOL, "false"));

    static final List<SettingSpec> SECURITY = List.of(
            SettingSpec.of("database", STRING, DEFAULT_ARCHIVE + "/security.db"));

    static final List<String> TIERS = List.of(CliConfig.HOT, CliConfig.WARM, CliConfig.COLD);

    static final List<String> TOP_LEVEL = List.of("catalog", "tiers", "hsm", "migration", "security");

    private ConfigSchema() {
    }
}
