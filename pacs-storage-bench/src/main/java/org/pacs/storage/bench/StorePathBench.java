package org.pacs.storage.bench;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;

/**
 * The archive's own store path, in process (no protocol, no JVM start): instances per second at 1, 4 and 16
 * threads into the embedded file archive with fsync on, so a change to the store path is measured without the
 * noise of a network face. Args: count, bytes per instance.
 */
public final class StorePathBench {

    private StorePathBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int bytes = args.length > 1 ? Integer.parseInt(args[1]) : 39_000;
        Path work = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/work")), "storepath-");
        try {
            List<Path> files = DimseBench.generate(work.resolve("in"), count, bytes);
            System.out.printf(Locale.ROOT, "%d instances of %d bytes%n", count, bytes);
            for (String th : System.getProperty("bench.threads", "1,4,16").split(",")) {
                int threads = Integer.parseInt(th.trim());
                Path dir = work.resolve("archive-" + threads);
                try (FileStorage archive = new FileStorage(FileStorageConfig.of(dir))) {
                    double rate = run(archive, files, threads);
                    System.out.printf(Locale.ROOT, "%2d threads: %7.0f instances/s%n", threads, rate);
                }
                CloudBench.deleteTree(dir);
            }
        } finally {
            CloudBench.deleteTree(work);
        }
    }

    static double run(FileStorage archive, List<Path> files, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        try {
            List<Future<?>> all = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                all.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < files.size(); i = next.getAndIncrement()) {
                        try (InputStream in = Files.newInputStream(files.get(i))) {
                            archive.store(in);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return files.size() / ((System.nanoTime() - start) / 1e9);
    }
}
