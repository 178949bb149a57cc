package org.pacs.storage.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.catalog.CatalogAttributes;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.file.FileLayout;
import org.pacs.storage.hsm.StorageTier;
import org.pacs.storage.testkit.SyntheticInstances;

/**
 * Opening costs the same at 20 instances and at 1,000,000 (issue 13). Fills an embedded-default archive (file
 * tiers, SQLite catalog) with {@code count} real instance files in the hot tier and their catalog rows, then runs
 * the real CLI jar as processes, {@code -Xmx64m}, against it and against an empty archive, alternating:
 * {@code exists UID}, {@code retrieve UID -o FILE}, {@code find --level study StudyDate=<one month>}. Prints the
 * median wall time of each, the full/empty ratio (target at most 1.25), and the peak RSS (GNU time's %M).
 * <p>Run: {@code java -cp ... org.pacs.storage.bench.ArchiveScaleBench [count] [rounds] [workDir]}; the jar comes
 * from {@code -Dpacs.cli.jar} (default pacs-storage-cli/target/pacs-storage.jar).
 */
public final class ArchiveScaleBench {

    private static final int SERIES_PER_STUDY = 2;
    private static final int INSTANCES_PER_SERIES = 50;
    private static final int BATCH = 5000;

    private ArchiveScaleBench() {
    }

    record Filled(String someUid, String studyDateMonth) {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path work = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("archive-scale");
        Path jar = Path.of(System.getProperty("pacs.cli.jar", "pacs-storage-cli/target/pacs-storage.jar"))
                .toAbsolutePath();
        Path full = work.resolve("full");
        Path empty = work.resolve("empty");
        Files.createDirectories(empty);
        long t0 = System.nanoTime();
        Filled f = Files.exists(full.resolve("pacs-archive/catalog.db")) ? probe(full) : fill(full, count);
        System.out.printf("filled %,d instances in %.0f s (%s)%n", count, (System.nanoTime() - t0) / 1e9, full);
        // the empty archive gets one instance too, so every command has something to find
        Filled e = fill(empty, 1);

        String[][] commands = {
            {"exists", "%UID%"},
            {"retrieve", "%UID%", "-o", "%OUT%"},
            {"find", "--level", "study", "StudyDate=%MONTH%"},
        };
        System.out.printf("%-48s %12s %12s %7s %14s%n", "command (java -Xmx64m -jar)", "empty ms", "full ms",
                "ratio", "peak RSS MiB");
        for (String[] c : commands) {
            double[] te = new double[rounds];
            double[] tf = new double[rounds];
            long rss = 0;
            for (int r = 0; r < rounds; r++) {
                te[r] = run(jar, empty, c, e)[0];
                double[] full1 = run(jar, full, c, f);
                tf[r] = full1[0];
                rss = Math.max(rss, (long) full1[1]);
            }
            double me = median(te);
            double mf = median(tf);
            System.out.printf("%-48s %12.0f %12.0f %7.2f %14.1f   (full runs %s)%n", String.join(" ", c), me, mf,
                    mf / me, rss / 1024.0, Arrays.toString(Arrays.stream(tf).mapToLong(Math::round).toArray()));
        }
    }

    /** Wall ms and peak RSS KiB of one CLI process in {@code dir}; fails loudly if the command fails. */
    private static double[] run(Path jar, Path dir, String[] template, Filled f) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/time", "-f", "RSS %M", "java", "-Xmx64m", "-jar",
                jar.toString()));
        for (String a : template) {
            cmd.add(a.replace("%UID%", f.someUid()).replace("%OUT%", dir.resolve("out.dcm").toString())
                    .replace("%MONTH%", f.studyDateMonth()));
        }
        Path err = dir.resolve("err.txt");
        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        int exit = p.waitFor();
        double ms = (System.nanoTime() - start) / 1e6;
        String e = Files.readString(err);
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " exited " + exit + ": " + e);
        }
        String rss = e.substring(e.lastIndexOf("RSS ") + 4).trim();
        return new double[] {ms, Double.parseDouble(rss)};
    }

    /**
     * Writes {@code count} small instances straight into the hot tier's layout (no fsync: this is set-up, not
     * what is measured) and catalogues them in batches, as a store would have.
     */
    static Filled fill(Path dir, int count) throws Exception {
        return fill(dir, count, true);
    }

    /** As {@link #fill(Path, int)}; without {@code files} only the catalog is filled (for query benchmarks). */
    static Filled fill(Path dir, int count, boolean files) throws Exception {
        Path hot = dir.resolve("pacs-archive/hot");
        Files.createDirectories(hot);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        String someUid = null;
        int perStudy = SERIES_PER_STUDY * INSTANCES_PER_SERIES;
        ExecutorService io = Executors.newFixedThreadPool(2);
        try (JdbcInstanceCatalog catalog = JdbcInstanceCatalog.sqlite(dir.resolve("pacs-archive/catalog.db"))) {
            List<CatalogEntry> batch = new ArrayList<>(BATCH);
            List<Future<?>> writes = new ArrayList<>();
            String study = null;
            String series = null;
            String date = null;
            for (int i = 0; i < count; i++) {
                if (i % perStudy == 0) {
                    study = "2.25." + (1_000_000_000L + i / perStudy);
                    int day = (i / perStudy) % (5 * 365);
                    date = java.time.LocalDate.of(2020, 1, 1).plusDays(day).toString().replace("-", "");
                }
                if (i % INSTANCES_PER_SERIES == 0) {
                    series = study + "." + (i / INSTANCES_PER_SERIES) % SERIES_PER_STUDY;
                }
                String sop = series + "." + (i % INSTANCES_PER_SERIES);
                DicomDataset h = SyntheticInstances.header("PID-" + (i / perStudy) % 5000, "Scale^Patient^" + i
                        / perStudy, study, series, sop, "CT", date);
                byte[] bytes = SyntheticInstances.bytes(h, 64, i);
                StoredInstance s = new StoredInstance(SopInstanceUid.of(sop), study, series,
                        SyntheticInstances.SECONDARY_CAPTURE, "1.2.840.10008.1.2.1", bytes.length,
                        HexFormat.of().formatHex(md.digest(bytes)), Instant.now());
                Path file = hot.resolve(FileLayout.HIERARCHICAL.relativePath(s));
                if (files) {
                    writes.add(io.submit(() -> {
                        Files.createDirectories(file.getParent());
                        return Files.write(file, bytes);
                    }));
                }
                batch.add(CatalogEntry.stored(s, CatalogAttributes.of(h), StorageTier.HOT, "hot:file:" + hot));
                someUid = someUid == null && i >= count / 2 ? sop : someUid;
                if (batch.size() == BATCH || i == count - 1) {
                    catalog.insertBatch(batch);
                    batch.clear();
                    for (Future<?> w : writes) {
                        w.get();
                    }
                    writes.clear();
                }
            }
        } finally {
            io.shutdown();
        }
        return new Filled(someUid == null ? "2.25.1000000000.0.0" : someUid, "20210301-20210331");
    }

    /** An archive filled by an earlier run (same numbering). */
    static Filled probe(Path dir) {
        return new Filled("2.25." + (1_000_000_000L + 5000) + ".0.0", "20210301-20210331");
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
