package org.pacs.storage.cli.config;

import java.time.Duration;

/** The {@code migration} section: the spec's migration_service_config (§6.1.1), with its defaults. */
public record MigrationConfig(Duration migrationInterval, int maxConcurrentMigrations, boolean autoStart) {

    public static final MigrationConfig DEFAULTS = new MigrationConfig(Duration.ofHours(1), 4, false);

    public MigrationConfig {
        InvalidSetting.required("migration-interval", migrationInterval);
        InvalidSetting.nonNegative("max-concurrent-migrations", maxConcurrentMigrations);
    }

    public MigrationConfig withMigrationInterval(Duration d) {
        return new MigrationConfig(d, maxConcurrentMigrations, autoStart);
    }

    public MigrationConfig withMaxConcurrentMigrations(int n) {
        return new MigrationConfig(migrationInterval, n, autoStart);
    }

    public MigrationConfig withAutoStart(boolean b) {
        return new MigrationConfig(migrationInterval, maxConcurrentMigrations, b);
    }
}
