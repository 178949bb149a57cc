package org.pacs.storage.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.testkit.SyntheticInstances;

/**
 * What the object-store benchmarks share: one set of instances on disk, a timed parallel loop over it, and
 * the printed row "ours vs plain SDK as a ratio", so S3 and Azure figures are measured the same way.
 */
final class CloudBench {

    private CloudBench() {
    }

    /** Files on disk with their {study, series, sop} UIDs and total size. */
    record InstanceSet(List<Path> files, List<String[]> uids, long bytes) {
        /** The first {@code n} instances, e.g. to warm up connections before timing. */
        InstanceSet slice(int n) {
            int k = Math.min(n, files.size());
            return new InstanceSet(files.subList(0, k), uids.subList(0, k), -1);
        }
    }

    record Figure(double storeMBs, double retrieveMBs) {
    }

    interface Op {
        void run(int index) throws Exception;
    }

    static InstanceSet generate(Path dir, int count, long pixelBytes, long seed) throws IOException {
        Files.createDirectories(dir);
        List<Path> files = new ArrayList<>();
        List<String[]> uids = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            DicomDataset h = SyntheticInstances.header();
            Path f = dir.resolve(i + ".dcm");
            bytes += SyntheticInstances.write(f, h, pixelBytes, seed + i);
            files.add(f);
            uids.add(new String[] {h.getString(Tag.StudyInstanceUID).orElseThrow(),
                h.getString(Tag.SeriesInstanceUID).orElseThrow(), h.getString(Tag.SOPInstanceUID).orElseThrow()});
        }
        return new InstanceSet(files, uids, bytes);
    }

    /** Runs op over every index on {@code threads} threads; returns MB/s of the set's bytes. */
    static double timed(InstanceSet set, int threads, Op op) throws Exception {
        double seconds = seconds(set.files().size(), threads, op);
        long bytes = 0;
        for (Path p : set.files()) {
            bytes += Files.size(p);
        }
        return bytes / 1e6 / seconds;
    }

    /** Seconds to run {@code op} for 0..n-1 on {@code threads} threads: the one timing loop of every bench here. */
    static double seconds(int n, int threads, Op op) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int idx = i;
                fs.add(pool.submit(() -> {
                    op.run(idx);
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            return (System.nanoTime() - start) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }

    static void row(String name, double storage, double plain) {
        System.out.printf(Locale.ROOT, "%-32s %11.1f MB/s %7.1f MB/s %8.2f%n", name, storage, plain, storage / plain);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
