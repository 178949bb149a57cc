package org.pacs.storage.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;
import org.pacs.storage.testkit.SyntheticInstances;

/**
 * FileStorage store throughput for many small instances, beside a plain {@code Files.copy} of the same files
 * (the floor: no hashing, parsing, index or fsync), printed as instances/s, MB/s and a ratio.
 * <p>Arguments (all optional): {@code count pixelBytes rounds workDir}; defaults 1000, 65536, 3, a temp dir.
 * Each figure is the median of the rounds; every round writes into a fresh directory. Run from the root:
 * <pre>
 * mvn -B -q -ntp -pl pacs-storage-bench -am -DskipTests package dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/bench.cp
 * java -cp pacs-storage-bench/target/classes:$(cat /tmp/bench.cp) org.pacs.storage.bench.FileStoreBench
 * </pre>
 */
public final class FileStoreBench {

    private FileStoreBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int pixelBytes = args.length > 1 ? Integer.parseInt(args[1]) : 64 * 1024;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path work = args.length > 3 ? Files.createDirectories(Path.of(args[3])) : Files.createTempDirectory("filestore-bench");
        try {
            List<Path> sources = prepare(work.resolve("source"), count, pixelBytes);
            long bytes = 0;
            for (Path p : sources) {
                bytes += Files.size(p);
            }
            System.out.printf("FileStoreBench: %d instances of %d bytes on average (%.1f MB) in %s, %d round(s), median%n",
                    count, bytes / count, bytes / 1e6, work, rounds);
            warmUp(work, sources);
            double copy = median(rounds, r -> copy(sources, work.resolve("copy-" + r), false));
            double copySync = median(rounds, r -> copy(sources, work.resolve("copysync-" + r), true));
            double storeNoSync = median(rounds, r -> store(sources, work.resolve("nosync-" + r), false));
            double storeSync = median(rounds, r -> store(sources, work.resolve("sync-" + r), true));
            print("Files.copy (no fsync)", count, bytes, copy, copy);
            print("Files.copy + fsync per file", count, bytes, copySync, copy);
            print("FileStorage.store(Path), fsync off", count, bytes, storeNoSync, copy);
            print("FileStorage.store(Path), fsync on (default)", count, bytes, storeSync, copy);
            System.out.printf("ratio FileStorage fsync on / Files.copy + fsync: %.2f%n", copySync / storeSync);
        } finally {
            deleteTree(work);
        }
    }

    /** Ten studies of ten series of ten instances per hundred: a realistic spread over directories. */
    private static List<Path> prepare(Path dir, int count, int pixelBytes) throws IOException {
        Files.createDirectories(dir);
        List<Path> out = new ArrayList<>(count);
        String study = null;
        String series = null;
        for (int i = 0; i < count; i++) {
            if (i % 100 == 0) {
                study = UidGenerator.newUid();
            }
            if (i % 10 == 0) {
                series = UidGenerator.newUid();
            }
            DicomDataset h = SyntheticInstances.header("P" + (i / 100), "Bench^Patient", study, series,
                    UidGenerator.newUid(), "CT", "20240101");
            Path f = dir.resolve(i + ".dcm");
            SyntheticInstances.write(f, h, pixelBytes, i + 1);
            out.add(f);
        }
        return out;
    }

    private static void warmUp(Path work, List<Path> sources) {
        List<Path> some = sources.subList(0, Math.min(200, sources.size()));
        store(some, work.resolve("warmup-store"), false);
        copy(some, work.resolve("warmup-copy"), false);
    }

    /** Seconds to store every file into a fresh FileStorage (open and close excluded). */
    private static double store(List<Path> sources, Path root, boolean fsync) {
        try (FileStorage fs = new FileStorage(FileStorageConfig.of(root).withFsync(fsync))) {
            long t0 = System.nanoTime();
            for (Path p : sources) {
                fs.store(p);
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            deleteTree(root);
        }
    }

    private static double copy(List<Path> sources, Path dir, boolean fsync) {
        try {
            Files.createDirectories(dir);
            long t0 = System.nanoTime();
            for (Path p : sources) {
                Path target = dir.resolve(p.getFileName());
                Files.copy(p, target);
                if (fsync) {
                    try (FileChannel ch = FileChannel.open(target, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                }
            }
            return (System.nanoTime() - t0) / 1e9;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(dir);
        }
    }

    private interface Round {
        double run(int round);
    }

    private static double median(int rounds, Round r) {
        double[] t = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            t[i] = r.run(i);
        }
        Arrays.sort(t);
        return t[rounds / 2];
    }

    private static void print(String what, int count, long bytes, double seconds, double copySeconds) {
        System.out.printf("%-45s %8.0f instances/s %8.1f MB/s  %6.3f s  (%.2fx the plain copy's time)%n", what,
                count / seconds, bytes / 1e6 / seconds, seconds, seconds / copySeconds);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
