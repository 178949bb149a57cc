package org.pacs.storage.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.pacs.storage.ArchivalBackend;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Hierarchical storage commands: tier, migrate, restore, restore-status. */
final class TierCommands {

    private TierCommands() {
    }

    static String tierName(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (!List.of("hot", "warm", "cold").contains(t)) {
            throw new UsageException("Unknown tier '" + text + "'; accepted: hot, warm, cold.");
        }
        return t;
    }

    @Command(name = "tier", description = "Prints the tier an instance is on, and every tier holding a copy of it"
            + " (hot keeps a cache copy with release: watermark or recall-on-read).")
    static final class Tier extends SingleUidCommand {

        @Override
        int run(Archive archive, SopInstanceUid u) {
            String tier = archive.tierOf(u);
            List<String> copies = archive.copiesOf(u);
            String text = copies.size() == 1 ? tier : tier + " (copies: " + String.join(", ", copies) + ")";
            root.print(Json.object("SOPInstanceUID", u.value(), "tier", tier, "copies", copies), text);
            return PacsStorageCli.OK;
        }
    }

    @Command(name = "release", description = "One release pass: when the hot tier holds more than hsm.high-watermark"
            + " of its capacity, deletes hot copies of instances kept in warm or cold (a cache), least recently used"
            + " first, down to hsm.low-watermark. Never the only copy.")
    static final class Release implements Callable<Integer> {

        @ParentCommand
        PacsStorageCli root;

        @Override
        public Integer call() {
            try (Archive archive = root.openArchive()) {
                org.pacs.storage.hsm.ReleaseResult r = archive.release();
                Map<String, Object> json = Json.object("released", r.released(), "releasedBytes", r.releasedBytes(),
                        "usedBefore", r.usedBefore(), "usedAfter", r.usedAfter(), "capacity", r.capacity(),
                        "highWatermark", r.highWatermark(), "lowWatermark", r.lowWatermark(), "kept", r.kept(),
                        "durationMs", r.duration().toMillis());
                root.print(json, describe(r));
                return r.kept() == 0 ? PacsStorageCli.OK : PacsStorageCli.FAILED;
            }
        }

        static String describe(org.pacs.storage.hsm.ReleaseResult r) {
            if (r.capacity() < 0) {
                return "The hot tier has no capacity (an object store without tiers.hot.capacity): nothing to"
                        + " release.";
            }
            String level = String.format(Locale.ROOT, "hot holds %s of %s (%.1f%%; high %s, low %s)",
                    org.pacs.storage.cli.config.Units.humanBytes(r.usedAfter()),
                    org.pacs.storage.cli.config.Units.humanBytes(r.capacity()), 100.0 * r.usedAfter() / r.capacity(),
                    org.pacs.storage.cli.config.Units.formatFraction(r.highWatermark()),
                    org.pacs.storage.cli.config.Units.formatFraction(r.lowWatermark()));
            String head = r.released() == 0 && r.usedBefore() <= r.highWatermark() * r.capacity()
                    ? "Below the high watermark: nothing released; " + level + "."
                    : "Released " + r.released() + " hot copies (" + org.pacs.storage.cli.config.Units.humanBytes(
                    r.releasedBytes()) + ") in " + r.duration().toMillis() + " ms; " + level + ".";
            return r.kept() == 0 ? head : head + " Kept " + r.kept() + " whose warm or cold copy could not be"
                    + " confirmed: run verify.";
        }
    }

    @Command(name = "migrate", description = "Moves instances to a tier (--to), or runs one policy cycle (--cycle).")
    static final class Migrate implements Callable<Integer> {

        @ParentCommand
        PacsStorageCli root;

        static final class Mode {
            @Option(names = "--to", paramLabel = "TIER", description = "hot, warm or cold.")
            String to;

            @Option(names = "--cycle", description = "Run one migration cycle by the configured policy.")
            boolean cycle;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Mode mode;

        @Parameters(arity = "0..*", paramLabel = "UID")
        List<String> uids = new ArrayList<>();

        @Override
        public Integer call() {
            if (mode.cycle) {
                if (!uids.isEmpty()) {
                    throw new UsageException("migrate --cycle takes no UIDs; use --to TIER to move given ones.");
                }
                try (Archive archive = root.openArchive()) {
                    Map<String, Object> result = archive.runMigrationCycle();
                    root.print(result, Archive.describeCycle(result));
                    return ((List<?>) result.get("failedUids")).isEmpty() ? PacsStorageCli.OK : PacsStorageCli.FAILED;
                }
            }
            if (uids.isEmpty()) {
                throw new UsageException("migrate --to needs at least one UID.");
            }
            String target = tierName(mode.to);
            List<SopInstanceUid> parsed = uids.stream().map(Uids::parse).toList();
            List<Map<String, Object>> results = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            int failed = 0;
            try (Archive archive = root.openArchive()) {
                archive.requireTier(target);
                for (SopInstanceUid u : parsed) {
                    try {
                        boolean moved = archive.migrate(u, target);
                        results.add(Json.object("SOPInstanceUID", u.value(), "tier", target, "migrated", moved));
                        text.append(u).append(moved ? " -> " : " already on ").append(target).append('\n');
                    } catch (StorageException e) {
                        failed++;
                        results.add(Json.object("SOPInstanceUID", u.value(), "migrated", false,
                                "reason", e.reason().name(), "error", PacsStorageCli.oneLine(e.getMessage())));
                        root.err().println("pacs-storage: " + PacsStorageCli.oneLine(e.getMessage()));
                    }
                }
            }
            root.err().flush();
            root.print(results, text.toString().stripTrailing());
            return failed == 0 ? PacsStorageCli.OK : PacsStorageCli.FAILED;
        }
    }

    @Command(name = "restore", description = "Asks the archive tier (S3 GLACIER/DEEP_ARCHIVE, Azure Archive) to make"
            + " instances readable again.")
    static final class Restore implements Callable<Integer> {

        @ParentCommand
        PacsStorageCli root;

        @Parameters(arity = "1..*", paramLabel = "UID")
        List<String> uids;

        @Option(names = "--days", defaultValue = "7", description = "How long the restored copy stays; default 7.")
        int days;

        @Option(names = "--priority", defaultValue = "STANDARD",
                description = "EXPEDITED, STANDARD or BULK; default STANDARD.")
        ArchivalBackend.RestorePriority priority;

        @Override
        public Integer call() {
            List<SopInstanceUid> parsed = uids.stream().map(Uids::parse).toList();
            List<Map<String, Object>> results = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            try (Archive archive = root.openArchive()) {
                for (SopInstanceUid u : parsed) {
                    org.pacs.storage.RestoreStatus s = archive.requestRestore(u, days, priority);
                    results.add(RestoreStatus.json(u, s));
                    text.append(RestoreStatus.text(u, s)).append('\n');
                }
            }
            root.print(results, text.toString().stripTrailing());
            return PacsStorageCli.OK;
        }
    }

    @Command(name = "restore-status", description = "Whether an archived instance is readable, being restored, or"
            + " still archived.")
    static final class RestoreStatus extends SingleUidCommand {

        @Override
        int run(Archive archive, SopInstanceUid u) {
            org.pacs.storage.RestoreStatus s = archive.restoreStatus(u);
            root.print(json(u, s), text(u, s));
            return PacsStorageCli.OK;
        }

        static Map<String, Object> json(SopInstanceUid u, org.pacs.storage.RestoreStatus s) {
            return Json.object("SOPInstanceUID", u.value(), "state", s.state().name(), "readable", s.readable(),
                    "expiry", s.expiry().map(Object::toString).orElse(null), "detail", s.detail());
        }

        static String text(SopInstanceUid u, org.pacs.storage.RestoreStatus s) {
            return u + ": " + s.state().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                    + s.expiry().map(e -> " until " + e).orElse("")
                    + (s.detail().isEmpty() ? "" : " (" + s.detail() + ")");
        }
    }
}
