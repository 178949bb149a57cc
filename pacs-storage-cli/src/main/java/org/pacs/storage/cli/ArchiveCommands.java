package org.pacs.storage.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pacs.storage.IntegrityReport;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageStatistics;
import org.pacs.storage.cli.config.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** Commands on the whole archive: stats, verify, rebuild-index. */
final class ArchiveCommands {

    private ArchiveCommands() {
    }

    @Command(name = "stats", description = "Storage statistics, and count and bytes per tier.")
    static final class Stats implements Callable<Integer> {

        @ParentCommand
        PacsStorageCli root;

        @Override
        public Integer call() {
            try (Archive archive = root.openArchive()) {
                StorageStatistics all = archive.storage().statistics();
                Map<String, Object> json = statistics(all);
                Map<String, Object> tiers = new LinkedHashMap<>();
                StringBuilder text = new StringBuilder(String.format(
                        "instances %d, %s, patients %d, studies %d, series %d%n", all.totalInstances(),
                        Units.humanBytes(all.totalBytes()), all.patientsCount(), all.studiesCount(),
                        all.seriesCount()));
                for (Map.Entry<String, Archive.TierUsage> t : archive.tierUsage().entrySet()) {
                    Archive.TierUsage u = t.getValue();
                    tiers.put(t.getKey(), Json.object("type", u.type(), "instances", u.instances(), "bytes",
                            u.bytes(), "cachedCopies", u.cachedCopies(), "usedBytes", u.usedBytes(), "capacity",
                            u.capacity()));
                    String used = u.capacity() < 0 ? "" : String.format(java.util.Locale.ROOT,
                            "  used %s of %s (%.1f%%)", Units.humanBytes(u.usedBytes()), Units.humanBytes(u.capacity()),
                            100.0 * u.usedBytes() / u.capacity());
                    String cached = u.cachedCopies() == 0 ? "" : String.format("  + %d cached copies",
                            u.cachedCopies());
                    text.append(String.format("  %-5s %-6s %8d instances  %s%s%s%n", t.getKey(), u.type(),
                            u.instances(), Units.humanBytes(u.bytes()), cached, used));
                }
                json.put("tiers", tiers);
                Map<String, Object> space = archive.spaceSettings();
                json.put("space", space);
                text.append(String.format("release: %s, high watermark %s, low watermark %s, recall on read %s%n",
                        space.get("release"), Units.formatFraction((Double) space.get("highWatermark")),
                        Units.formatFraction((Double) space.get("lowWatermark")),
                        (Boolean) space.get("recallOnRead") ? "on" : "off"));
                archive.migrationCounters().ifPresent(c -> {
                    json.put("migrations", c);
                    text.append(String.format("migrations: %s completed, %s failed%n", c.get("completed"),
                            c.get("failed")));
                });
                root.print(json, text.toString().stripTrailing());
                return PacsStorageCli.OK;
            }
        }

        static Map<String, Object> statistics(StorageStatistics s) {
            return Json.object("totalInstances", s.totalInstances(), "totalBytes", s.totalBytes(),
                    "patientsCount", s.patientsCount(), "studiesCount", s.studiesCount(),
                    "seriesCount", s.seriesCount());
        }
    }

    @Command(name = "verify", description = "Re-reads every instance and checks its SHA-256; the exit code is 1 if"
            + " anything is missing, corrupt or orphaned.")
    static final class Verify implements Callable<Integer> {

        @ParentCommand
        PacsStorageCli root;

        @Override
        public Integer call() {
            try (Archive archive = root.openArchive()) {
                IntegrityReport r = archive.storage().verifyIntegrity();
                List<String> missing = r.missing().stream().map(SopInstanceUid::value).toList();
                List<String> corrupt = r.corrupt().stream().map(SopInstanceUid::value).toList();
                Map<String, Object> json = Json.object("checked", r.checked(), "clean", r.isClean(),
                        "missing", missing, "corrupt", corrupt, "orphaned", r.orphaned());
                StringBuilder text = new StringBuilder("checked " + r.checked() + " instances: "
                        + (r.isClean() ? "all intact." : missing.size() + " missing, " + corrupt.size()
                        + " corrupt, " + r.orphaned().size() + " orphaned."));
                missing.forEach(u -> text.append("\n  missing  ").append(u));
                corrupt.forEach(u -> text.append("\n  corrupt  ").append(u));
                r.orphaned().forEach(o -> text.append("\n  orphaned ").append(o));
                root.print(json, text.toString());
                return r.isClean() ? PacsStorageCli.OK : PacsStorageCli.FAILED;
            }
        }
    }

    @Command(name = "rebuild-index", description = "Rebuilds the catalog from what the tiers hold.")
    static final class RebuildIndex implements Callable<Integer> {

        @ParentCommand
        PacsStorageCli root;

        @Override
        public Integer call() {
            try (Archive archive = root.openArchive()) {
                Map<String, Object> json = archive.rebuildIndex();
                root.print(json, "Catalog rebuilt from the tiers: " + json.get("blobs") + " blobs listed, "
                        + json.get("alreadyCatalogued") + " already catalogued, " + json.get("added") + " added ("
                        + json.get("archived") + " archived, catalogued from their metadata), " + json.get("skipped")
                        + " skipped, " + json.get("removed") + " stale rows removed.");
                return PacsStorageCli.OK;
            }
        }
    }
}
