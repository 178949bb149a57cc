package org.pacs.storage.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.cli.config.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "store", description = "Stores DICOM files; folders are walked recursively. Bad files are reported"
        + " and skipped; the exit code is 1 if any failed.")
final class StoreCommand implements Callable<Integer> {

    @ParentCommand
    PacsStorageCli root;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders.")
    List<Path> paths;

    @Option(names = "--threads", description = "Files stored at once; default ${DEFAULT-VALUE}.")
    int threads = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors() * 2));

    /** One file's outcome: {@code stored} on success, else the reason and message. */
    record Outcome(Path file, StoredInstance stored, String reason, String message) {
    }

    record Summary(List<Outcome> outcomes, long bytes, double seconds) {
        long failed() {
            return outcomes.stream().filter(o -> o.stored() == null).count();
        }
    }

    @Override
    public Integer call() {
        List<Path> files = collect(paths);
        try (Archive archive = root.openArchive()) {
            Summary s = store(archive.storage(), files, threads, root);
            report(s);
            return s.failed() == 0 ? PacsStorageCli.OK : PacsStorageCli.FAILED;
        }
    }

    static List<Path> collect(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> walk = Files.walk(p)) {
                    walk.filter(Files::isRegularFile).sorted().forEach(files::add);
                } catch (IOException | UncheckedIOException e) {
                    throw StorageException.unavailable("Cannot list " + p + ": " + e.getMessage()
                            + "; check its permissions.", e);
                }
            } else if (Files.isRegularFile(p)) {
                files.add(p);
            } else {
                throw new UsageException("No such file or folder: " + p + "; check the path.");
            }
        }
        return files;
    }

    static Summary store(StorageBackend storage, List<Path> files, int threads, PacsStorageCli root) {
        long total = files.stream().mapToLong(StoreCommand::sizeOf).sum();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        List<Outcome> outcomes = new ArrayList<>();
        try (Progress progress = new Progress(root.err(), files.size(), total, Progress.onTerminal())) {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Path f : files) {
                futures.add(pool.submit(() -> storeOne(storage, f, progress)));
            }
            for (Future<Outcome> fu : futures) {
                outcomes.add(fu.get());
            }
            long bytes = outcomes.stream().filter(o -> o.stored() != null).mapToLong(o -> o.stored().sizeBytes())
                    .sum();
            return new Summary(outcomes, bytes, progress.seconds());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.internal("Interrupted while storing; run store again (stored files are kept"
                    + " and identical resends are ignored).", e);
        } catch (ExecutionException e) {
            throw StorageException.internal("Storing failed unexpectedly: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static Outcome storeOne(StorageBackend storage, Path f, Progress progress) {
        try {
            StoredInstance s = storage.store(f);
            progress.done(s.sizeBytes());
            return new Outcome(f, s, null, null);
        } catch (StorageException e) {
            progress.done(0);
            return new Outcome(f, null, e.reason().name(), PacsStorageCli.oneLine(e.getMessage()));
        } catch (RuntimeException e) {
            progress.done(0);
            return new Outcome(f, null, StorageException.Reason.INTERNAL.name(), e.toString());
        }
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    private void report(Summary s) {
        long ok = s.outcomes().size() - s.failed();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("stored", ok);
        json.put("failed", s.failed());
        json.put("bytes", s.bytes());
        json.put("seconds", s.seconds());
        json.put("megabytesPerSecond", Progress.megabytesPerSecond(s.bytes(), s.seconds()));
        List<Map<String, Object>> instances = new ArrayList<>();
        List<Map<String, Object>> failures = new ArrayList<>();
        for (Outcome o : s.outcomes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", o.file().toString());
            if (o.stored() != null) {
                m.put("SOPInstanceUID", o.stored().sopInstanceUid().value());
                m.put("StudyInstanceUID", o.stored().studyInstanceUid());
                m.put("SeriesInstanceUID", o.stored().seriesInstanceUid());
                m.put("size", o.stored().sizeBytes());
                m.put("sha256", o.stored().sha256());
                instances.add(m);
            } else {
                m.put("reason", o.reason());
                m.put("error", o.message());
                failures.add(m);
            }
        }
        json.put("instances", instances);
        json.put("failures", failures);
        if (!root.json()) {
            for (Map<String, Object> f : failures) {
                root.err().println("skipped " + f.get("file") + ": " + f.get("error"));
            }
            root.err().flush();
        }
        root.print(json, String.format(Locale.ROOT, "Stored %d of %d files (%s) in %.1f s, %.1f MB/s%s", ok,
                s.outcomes().size(), Units.humanBytes(s.bytes()), s.seconds(),
                Progress.megabytesPerSecond(s.bytes(), s.seconds()),
                s.failed() == 0 ? "." : "; " + s.failed() + " failed (listed above)."));
    }
}
