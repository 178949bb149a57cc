package org.pacs.storage.cli;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;

/**
 * {@code store} as a pipeline: one thread walks the inputs, {@code threads} workers read, parse and store, and the
 * calling thread reports each outcome as it arrives. Both hand-overs are bounded queues, so memory does not
 * depend on the number of files: no list of paths, no list of outcomes. Workers block on a full outcome queue
 * and the walker on a full path queue, which is what keeps the walk from running ahead of the stores.
 * <p>Many workers are the point: a store waits on its file's fsync and on its group's commit, and the stores that
 * wait together share one directory sync and one catalog transaction (group commit).
 */
final class StorePipeline {

    /** Slots per worker in each queue: enough that a worker never waits for the walker between two files. */
    static final int QUEUE_PER_THREAD = 4;

    /** One file's (or unreadable folder's) outcome: {@code stored} on success, else reason and message. */
    record Outcome(Path file, StoredInstance stored, String reason, String message) {
        boolean ok() {
            return stored != null;
        }

        static Outcome failed(Path file, StorageException e) {
            return new Outcome(file, null, e.reason().name(), PacsStorageCli.oneLine(e.getMessage()));
        }
    }

    /** What the whole run did, as counts. */
    record Totals(long stored, long failed, long bytes) {
    }

    /** Compared by identity: no walked path is this object, whatever its name. */
    private static final Path END = Path.of("end-of-walk");

    private final int threads;
    private final Function<Path, StoredInstance> store;
    private final BlockingQueue<Path> paths;
    private final BlockingQueue<Object> outcomes;
    private final AtomicLong walked = new AtomicLong();
    private volatile Thread walker;

    /** A worker's last word: {@code error} is null when it ran out of files, else what killed it. */
    private record WorkerDone(Throwable error) {
    }

    StorePipeline(int threads, Function<Path, StoredInstance> store) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads < 1");
        }
        this.threads = threads;
        this.store = store;
        this.paths = new ArrayBlockingQueue<>(threads * QUEUE_PER_THREAD);
        this.outcomes = new ArrayBlockingQueue<>(threads * QUEUE_PER_THREAD);
    }

    /** Files the walk has met so far, handed over or waiting to be (tests use it to see that the walk waits). */
    long walked() {
        return walked.get();
    }

    /** The walking thread's state, or null before the run (tests: WAITING with a full queue means it waits). */
    Thread.State walkerState() {
        Thread w = walker;
        return w == null ? null : w.getState();
    }

    /** Paths waiting for a worker now, at most {@link #capacity()}. */
    int queued() {
        return paths.size();
    }

    int capacity() {
        return threads * QUEUE_PER_THREAD;
    }

    /**
     * Stores every regular file under {@code roots} (files, or folders walked recursively) and gives each outcome
     * to {@code report} on the calling thread, in completion order. Returns once every file has been reported.
     */
    Totals run(List<Path> roots, Consumer<Outcome> report) {
        Thread walker = new Thread(() -> walk(roots), "store-walk");
        walker.setDaemon(true);
        this.walker = walker;
        List<Thread> workers = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::work, "store-" + (i + 1));
            t.setDaemon(true);
            workers.add(t);
        }
        walker.start();
        workers.forEach(Thread::start);
        long stored = 0;
        long failed = 0;
        long bytes = 0;
        Throwable fatal = null;
        try {
            for (int running = threads; running > 0; ) {
                Object o = outcomes.take();
                if (o instanceof WorkerDone d) {
                    running--;
                    if (d.error() != null) {
                        fatal = d.error();
                        break; // the finally stops the walk and the other workers
                    }
                    continue;
                }
                Outcome out = (Outcome) o;
                if (out.ok()) {
                    stored++;
                    bytes += out.stored().sizeBytes();
                } else {
                    failed++;
                }
                report.accept(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.internal("Interrupted while storing; run store again (stored files are kept"
                    + " and identical resends are ignored).", e);
        } finally {
            // normally all have finished; after an error in the report they must not wait on full queues forever
            walker.interrupt();
            workers.forEach(Thread::interrupt);
        }
        if (fatal != null) {
            throw StorageException.internal("Storing failed unexpectedly: " + fatal + "; files reported stored"
                    + " are stored, run store again for the rest (identical resends are ignored).", fatal);
        }
        return new Totals(stored, failed, bytes);
    }

    private void walk(List<Path> roots) {
        try {
            for (Path root : roots) {
                try {
                    if (Files.isDirectory(root)) {
                        Files.walkFileTree(start(root), new Visitor());
                    } else {
                        hand(root);
                    }
                } catch (IOException e) { // the visitor reports what it meets; this is the start failing
                    report(Outcome.failed(root, StorageException.unavailable("Cannot walk " + root + " (" + e
                            + "); check it and store it again.", e)));
                }
            }
        } catch (WalkInterrupted e) {
            return; // the run is being abandoned: nobody waits for the end of the walk
        } catch (RuntimeException | Error e) {
            // reported like a file, so the run ends with a count instead of hanging for the missing END
            report(Outcome.failed(roots.get(0), StorageException.internal("Walking the input failed: " + e, e)));
        }
        for (int i = 0; i < threads; i++) {
            try {
                paths.put(END);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Where a folder's walk starts: a link given as an argument is followed (the walk would see just the link),
     * links inside are not, as before.
     */
    static Path start(Path root) throws IOException {
        return Files.isSymbolicLink(root) ? root.toRealPath() : root;
    }

    private void hand(Path file) {
        walked.incrementAndGet();
        try {
            paths.put(file);
        } catch (InterruptedException e) {
            throw new WalkInterrupted();
        }
    }

    private void report(Outcome o) {
        try {
            outcomes.put(o);
        } catch (InterruptedException e) {
            throw new WalkInterrupted();
        }
    }

    /** Regular files (and links to them, as {@code Files.isRegularFile} sees them); unreadable folders reported. */
    private final class Visitor extends SimpleFileVisitor<Path> {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() || (attrs.isSymbolicLink() && Files.isRegularFile(file))) {
                hand(file);
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            report(Outcome.failed(file, StorageException.unavailable("Cannot read " + file + " (" + e + "); check"
                    + " its permissions.", e)));
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) {
            if (e != null) {
                report(Outcome.failed(dir, StorageException.unavailable("Cannot list " + dir + " to the end (" + e
                        + "); check it and store it again.", e)));
            }
            return FileVisitResult.CONTINUE;
        }
    }

    private static final class WalkInterrupted extends RuntimeException {
        WalkInterrupted() {
            super(null, null, false, false);
        }
    }

    private void work() {
        Throwable error = null;
        try {
            for (Path p = paths.take(); p != END; p = paths.take()) {
                outcomes.put(storeOne(p));
            }
        } catch (InterruptedException e) {
            return; // the run is being abandoned: nobody waits for this worker's last word
        } catch (Throwable t) {
            error = t; // an Error (out of memory, say): the run stops and says so
        }
        try {
            outcomes.put(new WorkerDone(error));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Outcome storeOne(Path f) {
        try {
            return new Outcome(f, store.apply(f), null, null);
        } catch (StorageException e) {
            return Outcome.failed(f, e);
        } catch (RuntimeException e) {
            return new Outcome(f, null, StorageException.Reason.INTERNAL.name(), e.toString());
        }
    }
}
