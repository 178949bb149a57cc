package org.pacs.storage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.cli.StorePipeline.Outcome;
import org.pacs.storage.cli.config.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "store", description = "Stores DICOM files; folders are walked recursively. Files are read, parsed"
        + " and stored in parallel; bad files are reported as they are met and skipped; the exit code is 1 if any"
        + " failed.")
final class StoreCommand implements Callable<Integer> {

    /**
     * 16, or twice the cores where that is more (at most 64): a store spends most of its time waiting for its
     * file's fsync and for its group's commit, not on a core, and the stores that wait together share one
     * directory sync and one catalog transaction, so more threads than cores make bigger groups. Measured on 2
     * cores (10,000 small files, embedded default): 4 threads 39-40 s, 8 25-34 s, 16 20-25 s, 32 21-29 s.
     */
    static final int DEFAULT_THREADS = Math.max(16, Math.min(64, 2 * Runtime.getRuntime().availableProcessors()));
    private static final int MAX_THREADS = 256;

    @ParentCommand
    PacsStorageCli root;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files or folders.")
    List<Path> paths;

    @Option(names = "--threads", paramLabel = "N", description = "Files stored at once (1.." + MAX_THREADS
            + "); default ${DEFAULT-VALUE} (16, or twice the cores if more: stores mostly wait on fsync).")
    int threads = DEFAULT_THREADS;

    /** What one run did. */
    record Summary(long stored, long failed, long bytes, double seconds) {
        long files() {
            return stored + failed;
        }
    }

    @Override
    public Integer call() throws IOException {
        if (threads < 1 || threads > MAX_THREADS) {
            throw new UsageException("--threads " + threads + " is out of range; give 1 to " + MAX_THREADS + ".");
        }
        for (Path p : paths) {
            if (!Files.isDirectory(p) && !Files.isRegularFile(p)) {
                throw new UsageException("No such file or folder: " + p + "; check the path.");
            }
        }
        Summary s;
        try (Archive archive = root.openArchive()) {
            if (root.json()) {
                try (StoreJsonReport report = new StoreJsonReport(root.out())) {
                    s = store(archive.storage(), paths, threads, root.err(), false, report::add);
                    report.finish(s);
                }
            } else {
                s = store(archive.storage(), paths, threads, root.err(), true, o -> { });
                root.out().println(String.format(Locale.ROOT, "Stored %d of %d files (%s) in %.1f s, %.1f MB/s%s",
                        s.stored(), s.files(), Units.humanBytes(s.bytes()), s.seconds(),
                        Progress.megabytesPerSecond(s.bytes(), s.seconds()),
                        s.failed() == 0 ? "." : "; " + s.failed() + " failed (listed above)."));
                root.out().flush();
            }
        }
        return s.failed() == 0 ? PacsStorageCli.OK : PacsStorageCli.FAILED;
    }

    /**
     * Stores every file under {@code roots} on {@code threads} threads with a progress bar on {@code err} (on a
     * terminal), printing a "skipped FILE: why" line for each failure as it happens when {@code printSkipped};
     * each outcome also goes to {@code each}, on the calling thread.
     */
    static Summary store(StorageBackend storage, List<Path> roots, int threads, PrintWriter err,
                         boolean printSkipped, Consumer<Outcome> each) {
        try (Progress progress = new Progress(err, Progress.onTerminal())) {
            Counter counter = progress.shown() ? Counter.start(roots, progress) : null;
            try {
                StorePipeline.Totals t = new StorePipeline(threads, storage::store).run(roots, o -> {
                    progress.done(o.ok() ? o.stored().sizeBytes() : 0);
                    if (!o.ok() && printSkipped) {
                        progress.println("skipped " + o.file() + ": " + o.message());
                    }
                    each.accept(o);
                });
                return new Summary(t.stored(), t.failed(), t.bytes(), progress.seconds());
            } finally {
                if (counter != null) {
                    counter.stop = true;
                }
            }
        }
    }

    /**
     * The bar's total: a walk beside the stores that only counts files and bytes (nothing kept), so storing
     * starts at once and a huge input shows counts until the total is known. Only run for a bar on a terminal.
     */
    private static final class Counter extends SimpleFileVisitor<Path> {
        volatile boolean stop;
        private long files;
        private long bytes;

        static Counter start(List<Path> roots, Progress progress) {
            Counter c = new Counter();
            Thread t = new Thread(() -> {
                try {
                    for (Path r : roots) {
                        Files.walkFileTree(Files.isDirectory(r) ? StorePipeline.start(r) : r, c);
                    }
                    if (!c.stop) {
                        progress.total(c.files, c.bytes);
                    }
                } catch (IOException | RuntimeException e) {
                    // the bar then just shows counts: the stores report what is really wrong with the input
                }
            }, "store-count");
            t.setDaemon(true);
            t.start();
            return c;
        }

        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
            return stop ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() || (attrs.isSymbolicLink() && Files.isRegularFile(file))) {
                files++;
                bytes += attrs.isRegularFile() ? attrs.size() : 0;
            }
            return stop ? FileVisitResult.TERMINATE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE;
        }
    }
}
