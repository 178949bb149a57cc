package org.pacs.storage.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageStatistics;
import org.pacs.storage.cli.config.CliConfig;
import org.pacs.storage.cli.config.Units;
import org.pacs.storage.dicom.TransferSyntax;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "demo", description = "Runs the main job on the configured archive (by default the embedded one"
        + " under ./pacs-archive): generate, store, find, migrate, stats.")
final class DemoCommand implements Callable<Integer> {

    @ParentCommand
    PacsStorageCli root;

    @Option(names = "--studies", defaultValue = "4", description = "Studies to generate; default 4.")
    int studies;

    @Option(names = "--instances", defaultValue = "10", description = "Instances per series (2 series per"
            + " study); default 10.")
    int instances;

    @Option(names = "--bytes", defaultValue = "128KiB", converter = SizeConverter.class, paramLabel = "SIZE",
            description = "Pixel data per instance; default 128KiB.")
    long bytes;

    private final Map<String, Object> json = new LinkedHashMap<>();
    private long stepStart;

    @Override
    public Integer call() throws IOException {
        Path input = Files.createTempDirectory("pacs-storage-demo-");
        try (Archive archive = root.openArchive()) {
            step();
            SyntheticStudies.Result gen = new SyntheticStudies(System.nanoTime())
                    .generate(input, studies, 2, instances, bytes, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
            done("generate", GenerateCommand.toJson(gen), gen.files() + " instances in " + gen.studies().size()
                    + " studies, " + Units.humanBytes(gen.bytes()));

            step();
            StoreCommand.Summary stored = StoreCommand.store(archive.storage(), List.of(input),
                    StoreCommand.DEFAULT_THREADS, root.err(), true, o -> { });
            if (stored.failed() > 0) {
                throw new StorageException(StorageException.Reason.INTERNAL, stored.failed() + " generated"
                        + " instances could not be stored; rerun with --verbose, or run 'store' on them for"
                        + " the reasons.");
            }
            done("store", Json.object("stored", stored.stored(), "bytes", stored.bytes()),
                    String.format(Locale.ROOT, "%d instances, %s, %.1f MB/s", stored.stored(),
                            Units.humanBytes(stored.bytes()),
                            Progress.megabytesPerSecond(stored.bytes(), stored.seconds())));

            step();
            SyntheticStudies.Study first = gen.studies().get(0);
            QueryBuilder byPatient = new QueryBuilder("study", List.of("PatientID=" + first.patientId()));
            List<Map<String, Object>> found = byPatient.rows(archive.storage().find(byPatient.dataset()));
            QueryBuilder byStudy = new QueryBuilder("instance",
                    List.of("StudyInstanceUID=" + first.studyInstanceUid()));
            int instancesFound = archive.storage().find(byStudy.dataset()).size();
            done("find", Json.object("PatientID", first.patientId(), "studies", found,
                    "instancesInStudy", instancesFound), "PatientID=" + first.patientId() + " -> "
                    + found.size() + " study; StudyInstanceUID=" + first.studyInstanceUid() + " -> "
                    + instancesFound + " instances");

            step();
            done("migrate", migrate(archive, gen), lastMigrateText);

            step();
            StorageStatistics all = archive.storage().statistics();
            Map<String, Object> stats = ArchiveCommands.Stats.statistics(all);
            StringBuilder text = new StringBuilder(all.totalInstances() + " instances, "
                    + Units.humanBytes(all.totalBytes()));
            Map<String, Object> tiers = new LinkedHashMap<>();
            archive.tierUsage().forEach((t, u) -> {
                tiers.put(t, Json.object("type", u.type(), "instances", u.instances(), "bytes", u.bytes()));
                text.append("; ").append(t).append(' ').append(u.instances());
            });
            stats.put("tiers", tiers);
            done("stats", stats, text.toString());
        } finally {
            deleteTree(input);
        }
        if (root.json()) {
            root.print(json, "");
        } else {
            root.out().println("Done. Try: ./pacs-storage find --level study, ./pacs-storage stats,"
                    + " ./pacs-storage config show");
        }
        return PacsStorageCli.OK;
    }

    private String lastMigrateText = "";

    /** Moves the second study to warm and the third to cold, where those tiers are configured. */
    private Map<String, Object> migrate(Archive archive, SyntheticStudies.Result gen) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> parts = new ArrayList<>();
        String[] targets = {CliConfig.WARM, CliConfig.COLD};
        for (int i = 0; i < targets.length && i + 1 < gen.studies().size(); i++) {
            if (!archive.tiers().containsKey(targets[i])) {
                continue;
            }
            SyntheticStudies.Study s = gen.studies().get(i + 1);
            String target = targets[i];
            // In parallel, as the migration service does: each migration is an fsync-bound copy.
            List<SopInstanceUid> uids = s.sopInstanceUids().stream().map(SopInstanceUid::of).toList();
            java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(4);
            try {
                pool.submit(() -> uids.parallelStream().forEach(u -> archive.migrate(u, target))).join();
            } finally {
                pool.shutdown();
            }
            String check = archive.tierOf(SopInstanceUid.of(s.sopInstanceUids().get(0)));
            out.put(targets[i], Json.object("StudyInstanceUID", s.studyInstanceUid(),
                    "instances", s.sopInstanceUids().size(), "tierNow", check));
            parts.add("study " + (i + 2) + " (" + s.sopInstanceUids().size() + " instances) -> " + check);
        }
        lastMigrateText = parts.isEmpty() ? "only a hot tier is configured; nothing to migrate"
                : String.join(", ", parts);
        return out;
    }

    private void step() {
        stepStart = System.nanoTime();
    }

    private void done(String name, Map<String, Object> result, String text) {
        double seconds = (System.nanoTime() - stepStart) / 1e9;
        result.put("seconds", seconds);
        json.put(name, result);
        if (!root.json()) {
            root.out().println(String.format(Locale.ROOT, "%-9s %6.2f s  %s", name, seconds, text));
            root.out().flush();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // A leftover temp folder is harmless; the demo's result is what matters.
        }
    }
}
