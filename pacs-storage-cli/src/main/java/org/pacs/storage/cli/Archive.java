package org.pacs.storage.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.pacs.storage.ArchivalBackend;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.cli.config.CatalogConfig;
import org.pacs.storage.cli.config.CliConfig;
import org.pacs.storage.cli.config.ConfigValue;
import org.pacs.storage.cli.config.HsmConfig;
import org.pacs.storage.cli.config.PolicyConfig;
import org.pacs.storage.cli.config.TierConfig;
import org.pacs.storage.hsm.HsmStatistics;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.hsm.CatalogRebuilder;
import org.pacs.storage.hsm.HsmStorage;
import org.pacs.storage.hsm.HsmStorageConfig;
import org.pacs.storage.hsm.ReleaseResult;
import org.pacs.storage.hsm.SpaceConfig;
import org.pacs.storage.hsm.MigrationResult;
import org.pacs.storage.hsm.StorageTier;
import org.pacs.storage.hsm.TierPolicy;

/**
 * The archive a command works on: the tier backends built through their providers, the catalog, and the
 * {@link HsmStorage} every instance command goes through. Closing it closes everything it opened.
 */
public final class Archive implements AutoCloseable {

    private static final int POSTGRES_POOL = 8;

    private final CliConfig config;
    private final Map<String, BlobStore> tiers;
    private final HsmStorage hsm;
    private final List<AutoCloseable> opened;

    private Archive(CliConfig config, Map<String, BlobStore> tiers, HsmStorage hsm, List<AutoCloseable> opened) {
        this.config = config;
        this.tiers = tiers;
        this.hsm = hsm;
        this.opened = opened;
    }

    public static Archive open(CliConfig config) {
        Map<String, BlobStore> tiers = new LinkedHashMap<>();
        Map<StorageTier, BlobStore> byTier = new EnumMap<>(StorageTier.class);
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            for (TierConfig t : config.tiers().values()) {
                BlobStore b = t.createBlobStore();
                opened.add(b);
                tiers.put(t.tier(), b);
                byTier.put(StorageTier.parse(t.tier()), b);
            }
            InstanceCatalog catalog = openCatalog(config.catalog());
            opened.add(catalog);
            HsmStorage hsm = new HsmStorage(byTier, catalog, hsmConfig(config.hsm())
                    .withSpace(space(config))
                    .withDuplicatePolicy(hotDuplicatePolicy(config)));
            opened.add(hsm);
            return new Archive(config, tiers, hsm, opened);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    private static InstanceCatalog openCatalog(CatalogConfig c) {
        String u = c.url();
        if (u.startsWith("jdbc:sqlite:")) {
            return JdbcInstanceCatalog.sqlite(Path.of(u.substring("jdbc:sqlite:".length())));
        }
        if (u.startsWith("jdbc:postgresql:")) {
            return JdbcInstanceCatalog.postgres(u, c.user(), c.password(), POSTGRES_POOL);
        }
        throw new UsageException("catalog.url: '" + u + "' is not a supported catalog; accepted:"
                + " jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DATABASE.");
    }

    /** Duplicates are decided where instances arrive: the hot tier's duplicate-policy setting, if any. */
    private static org.pacs.storage.DuplicatePolicy hotDuplicatePolicy(CliConfig config) {
        TierConfig hot = config.tiers().get("hot");
        ConfigValue v = hot == null ? null : hot.settings().get("duplicate-policy");
        return v == null ? null : org.pacs.storage.spi.SettingValues.duplicatePolicy("duplicate-policy", v.value());
    }

    /** hsm.release, the watermarks, recall-on-read and each tier's capacity. */
    static SpaceConfig space(CliConfig config) {
        HsmConfig h = config.hsm();
        SpaceConfig s = SpaceConfig.DEFAULTS
                .withRelease(h.release() == HsmConfig.Release.WATERMARK ? SpaceConfig.ReleaseMode.WATERMARK
                        : SpaceConfig.ReleaseMode.IMMEDIATE)
                .withWatermarks(h.highWatermark(), h.lowWatermark())
                .withRecallOnRead(h.recallOnRead());
        for (TierConfig t : config.tiers().values()) {
            if (t.capacity().isPresent()) {
                s = s.withCapacity(StorageTier.parse(t.tier()), t.capacity().getAsLong());
            }
        }
        return s;
    }

    static HsmStorageConfig hsmConfig(HsmConfig h) {
        PolicyConfig p = h.policy();
        TierPolicy policy = TierPolicy.defaults()
                .withHotToWarm(p.hotToWarm())
                .withWarmToCold(p.warmToCold())
                .withAutoMigrate(p.autoMigrate())
                .withMinMigrationSize(p.minMigrationSize())
                .withMaxInstancesPerCycle(p.maxInstancesPerCycle())
                .withMaxBytesPerCycle(p.maxBytesPerCycle());
        return HsmStorageConfig.defaults().withPolicy(policy)
                .withTrackAccessTime(h.trackAccessTime())
                .withVerifyAfterMigration(h.verifyAfterMigration())
                .withDeleteAfterMigration(h.deleteAfterMigration());
    }

    public CliConfig config() {
        return config;
    }

    /** The storage instance commands use. */
    public StorageBackend storage() {
        return hsm;
    }

    public HsmStorage hsm() {
        return hsm;
    }

    public Map<String, BlobStore> tiers() {
        return tiers;
    }

    /**
     * Count and bytes of the instances whose home is one tier; {@code usedBytes} adds hot's cache copies
     * ({@code cachedCopies} of them); capacity -1 when the tier has none.
     */
    public record TierUsage(String type, long instances, long bytes, long cachedCopies, long usedBytes,
                            long capacity) {
    }

    /** From the catalog: what each configured tier holds. */
    public Map<String, TierUsage> tierUsage() {
        HsmStatistics s = hsm.getHsmStatistics();
        Map<String, TierUsage> out = new LinkedHashMap<>();
        for (String name : tiers.keySet()) {
            StorageTier t = StorageTier.parse(name);
            out.put(name, new TierUsage(config.tiers().get(name).type(), s.count(t), s.bytes(t),
                    t == StorageTier.HOT ? s.hotCopies() : 0, s.usedBytes(t), s.capacity(t)));
        }
        return out;
    }

    /** The watermarks and the release mode, for stats. */
    public Map<String, Object> spaceSettings() {
        HsmConfig h = config.hsm();
        return Json.object("release", h.release().name().toLowerCase(Locale.ROOT), "highWatermark",
                h.highWatermark(), "lowWatermark", h.lowWatermark(), "recallOnRead", h.recallOnRead());
    }

    /** The tiers holding a copy of the instance, its home tier first (then hot, when it keeps a cache copy). */
    public List<String> copiesOf(SopInstanceUid uid) {
        return hsm.copies(uid).stream().map(t -> t.name().toLowerCase(Locale.ROOT)).toList();
    }

    /** One release pass (see {@link HsmStorage#releaseHotCopies()}). */
    public ReleaseResult release() {
        return hsm.releaseHotCopies();
    }

    /** Migrations done and failed so far (catalog counters, summed over every node sharing it). */
    public Optional<Map<String, Object>> migrationCounters() {
        HsmStatistics s = hsm.getHsmStatistics();
        return Optional.of(Json.object("completed", s.migrationsCompleted(), "failed", s.migrationsFailed()));
    }

    public Map<String, Object> rebuildIndex() {
        CatalogRebuilder.Result r = hsm.rebuildCatalog();
        return Json.object("blobs", r.blobs(), "alreadyCatalogued", r.alreadyCatalogued(), "added", r.added(),
                "archived", r.archived(), "skipped", r.skipped(), "removed", r.removed());
    }

    public void requireTier(String tier) {
        if (!tiers.containsKey(tier)) {
            throw new UsageException("Tier " + tier + " is not configured; add tiers." + tier + " to the"
                    + " configuration (see 'pacs-storage config show').");
        }
    }

    /** The tier name (hot, warm, cold) the catalog places the instance on. */
    public String tierOf(SopInstanceUid uid) {
        return hsm.getTier(uid).orElseThrow(() -> StorageException.notFound(uid)).name().toLowerCase(Locale.ROOT);
    }

    /** False when the instance was on {@code tier} already. */
    public boolean migrate(SopInstanceUid uid, String tier) {
        return hsm.migrate(uid, StorageTier.parse(tier));
    }

    /** One policy cycle, as a JSON-ready map with the spec's migration_result fields. */
    public Map<String, Object> runMigrationCycle() {
        return json(hsm.runMigrationCycle());
    }

    static Map<String, Object> json(MigrationResult r) {
        return Json.object("instancesMigrated", r.instancesMigrated(), "bytesMigrated", r.bytesMigrated(),
                "durationMs", r.duration().toMillis(), "instancesSkipped", r.instancesSkipped(),
                "failedUids", r.failedUids().stream().map(Object::toString).toList(), "success", r.isSuccess());
    }

    static String describeCycle(Map<String, Object> r) {
        return "migrated " + r.get("instancesMigrated") + " instances (" + r.get("bytesMigrated") + " bytes) in "
                + r.get("durationMs") + " ms; skipped " + r.get("instancesSkipped") + ", failed "
                + ((List<?>) r.get("failedUids")).size() + ".";
    }

    /** Asks the instance's tier for a restore; a tier that never archives answers NOT_ARCHIVED. */
    public RestoreStatus requestRestore(SopInstanceUid uid, int days, ArchivalBackend.RestorePriority priority) {
        return hsm.requestRestore(uid, days, priority);
    }

    public RestoreStatus restoreStatus(SopInstanceUid uid) {
        return hsm.restoreStatus(uid);
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
