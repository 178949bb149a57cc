package org.pacs.storage.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pacs.storage.ArchivalBackend;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageStatistics;
import org.pacs.storage.cli.config.CliConfig;
import org.pacs.storage.cli.config.TierConfig;

/**
 * The archive a command works on: the tier backends built through their providers, and the storage every
 * instance command goes through. Closing it closes everything it opened, in reverse order.
 */
public final class Archive implements AutoCloseable {

    private final CliConfig config;
    private final Map<String, StorageBackend> tiers;
    private final List<AutoCloseable> opened;

    private Archive(CliConfig config, Map<String, StorageBackend> tiers, List<AutoCloseable> opened) {
        this.config = config;
        this.tiers = tiers;
        this.opened = opened;
    }

    public static Archive open(CliConfig config) {
        Map<String, StorageBackend> tiers = new LinkedHashMap<>();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            for (TierConfig t : config.tiers().values()) {
                StorageBackend b = t.create();
                opened.add(b);
                tiers.put(t.tier(), b);
            }
            return new Archive(config, tiers, opened);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    public CliConfig config() {
        return config;
    }

    /** The storage instance commands use. */
    public StorageBackend storage() {
        return tiers.get(CliConfig.HOT);
    }

    public Map<String, StorageBackend> tiers() {
        return tiers;
    }

    /** Count and bytes one tier holds. */
    public record TierUsage(String type, long instances, long bytes) {
    }

    public Map<String, TierUsage> tierUsage() {
        Map<String, TierUsage> out = new LinkedHashMap<>();
        tiers.forEach((name, b) -> {
            StorageStatistics s = b.statistics();
            out.put(name, new TierUsage(config.tiers().get(name).type(), s.totalInstances(), s.totalBytes()));
        });
        return out;
    }

    /** Migrations done and failed so far, where the archive keeps such counters. */
    public Optional<Map<String, Object>> migrationCounters() {
        return Optional.empty();
    }

    public Map<String, Object> rebuildIndex() {
        throw notAvailable("rebuild-index (the HSM catalog)");
    }

    public void requireTier(String tier) {
        if (!tiers.containsKey(tier)) {
            throw new UsageException("Tier " + tier + " is not configured; add tiers." + tier + " to the"
                    + " configuration (see 'pacs-storage config show').");
        }
    }

    /** The tier name (hot, warm, cold) the catalog places the instance on. */
    public String tierOf(SopInstanceUid uid) {
        throw notAvailable("tier (the HSM catalog)");
    }

    public void migrate(SopInstanceUid uid, String tier) {
        throw notAvailable("migrate (HSM storage)");
    }

    /** One policy cycle, as a JSON-ready map with the spec's migration_result fields. */
    public Map<String, Object> runMigrationCycle() {
        throw notAvailable("migrate --cycle (HSM storage)");
    }

    static String describeCycle(Map<String, Object> r) {
        return "migrated " + r.get("instancesMigrated") + " instances (" + r.get("bytesMigrated") + " bytes) in "
                + r.get("durationMs") + " ms; skipped " + r.get("instancesSkipped") + ", failed "
                + ((List<?>) r.get("failedUids")).size() + ".";
    }

    /** Asks the instance's tier for a restore; a tier that never archives answers NOT_ARCHIVED. */
    public RestoreStatus requestRestore(SopInstanceUid uid, int days, ArchivalBackend.RestorePriority priority) {
        StorageBackend b = tiers.get(tierOf(uid));
        return b instanceof ArchivalBackend a ? a.requestRestore(uid, days, priority) : notArchived(uid);
    }

    public RestoreStatus restoreStatus(SopInstanceUid uid) {
        StorageBackend b = tiers.get(tierOf(uid));
        return b instanceof ArchivalBackend a ? a.restoreStatus(uid) : notArchived(uid);
    }

    private RestoreStatus notArchived(SopInstanceUid uid) {
        return new RestoreStatus(RestoreStatus.State.NOT_ARCHIVED, Optional.empty(),
                "tier " + tierOf(uid) + " never archives; the instance is readable now");
    }

    static StorageException notAvailable(String what) {
        return new StorageException(StorageException.Reason.UNSUPPORTED, what + " is not available yet in this"
                + " build (its part has not landed); use a newer build of pacs-storage.");
    }

    @Override
    public void close() {
        closeAll(opened);
    }

    private static void closeAll(List<AutoCloseable> list) {
        for (int i = list.size() - 1; i >= 0; i--) {
            try {
                list.get(i).close();
            } catch (Exception ignored) {
                // Closing is best effort: a failing close must not hide the command's own result.
            }
        }
    }
}
