package org.pacs.storage.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;
import org.pacs.storage.hsm.HsmStorage;
import org.pacs.storage.hsm.HsmStorageConfig;
import org.pacs.storage.hsm.SpaceConfig;
import org.pacs.storage.hsm.StorageTier;
import org.pacs.storage.s3.CloudStorageConfig;
import org.pacs.storage.s3.S3Storage;
import org.pacs.storage.testkit.SyntheticInstances;
import org.pacs.storage.testkit.s3.S3MockServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * HSM migration throughput (instances/s, MB/s) beside plain file operations on the same bytes at the same
 * concurrency, as ratios (plain time / HSM time), hot -> warm, both FileStorage:
 * <ul>
 *   <li>release: immediate against a plain move (copy with the file forced to disk, then delete the source):
 *       goal at least 0.85;</li>
 *   <li>release: watermark (the hot copy stays as a cache) against a plain copy: goal at least 0.9;</li>
 *   <li>the later release pass (every cache copy due) against plain unlinks of the same number of files, both on
 *       one thread;</li>
 *   <li>unless {@code migrationbench.filesOnly}: hot -> cold, FileStorage -> S3Storage on S3Mock, against a bare
 *       SDK PutObject of the same files.</li>
 * </ul>
 * The HSM side does the whole crash-safe state machine: catalog claim and state per step (SQLite, FULL sync),
 * streaming copy with SHA-256, verification, commit, source deletion (immediate) or cache record (watermark).
 * <p>Arguments (optional): {@code count sizeKiB threads perSeries}; defaults 200 1024 4 50. HSM migrates in
 * batches (as a migration cycle does), at most 64 per batch, the batches spread over the threads. System
 * properties: {@code migrationbench.rounds} (default 3), {@code migrationbench.filesOnly} (skip S3Mock),
 * {@code migrationbench.keepSource} (delete_after_migration off).
 */
public final class MigrationBench {

    private MigrationBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int sizeKiB = args.length > 1 ? Integer.parseInt(args[1]) : 1024;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        // archives move whole studies: a series of CT or MR slices shares its directory (1 = worst case)
        int perSeries = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        Path work = Files.createTempDirectory("migrationbench-");
        try {
            List<Path> files = new ArrayList<>();
            long bytes = 0;
            DicomDataset series = null;
            for (int i = 0; i < count; i++) {
                Path f = work.resolve("src").resolve(i + ".dcm");
                Files.createDirectories(f.getParent());
                if (i % perSeries == 0) {
                    series = SyntheticInstances.header();
                }
                DicomDataset header = series.copy();
                header.set(Tag.SOPInstanceUID, VR.UI, UidGenerator.newUid());
                bytes += SyntheticInstances.write(f, header, sizeKiB * 1024L, i);
                files.add(f);
            }
            System.out.printf(Locale.ROOT, "MigrationBench: %d instances of %d KiB (%.1f MB), %d per series,"
                    + " %d threads%n", count, sizeKiB, bytes / 1e6, perSeries, threads);
            // one whole unmeasured round of each side first (JIT, page cache, connection pools), as JMH would
            hsm(work.resolve("warmup-files"), files, threads, null, false);
            Path warmupPlain = work.resolve("warmup-plain");
            CloudBench.seconds(count, threads, i -> durableCopy(files.get(i), warmupPlain.resolve(i + ".dcm")));
            plainMove(work.resolve("warmup-move"), files, threads);
            for (String w : List.of("warmup-files", "warmup-plain", "warmup-move")) {
                discard(work.resolve(w));
            }
            // a shared machine's disk is noisy: alternate the sides and keep each side's median
            int rounds = Integer.getInteger("migrationbench.rounds", 3);
            double[] hsmW = new double[rounds];
            double[] plainW = new double[rounds];
            double[] moveW = new double[rounds];
            double[] keepW = new double[rounds];
            double[] releaseW = new double[rounds];
            double[] unlinkW = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                // each case starts on a settled file system holding only the source files: the plain cases leave
                // their creates and unlinks in the journal, which the next fsync (an HSM case's) would otherwise pay
                // for, and a case run beside the gigabytes earlier cases left behind runs measurably slower here
                // (more kernel time per write), which would favour whichever side happens to run first
                settle();
                hsmW[r] = hsm(work.resolve("a" + r), files, threads, null, false);
                double hsmCpu = LAST_CPU_MS;
                discard(work.resolve("a" + r));
                moveW[r] = plainMove(work.resolve("move" + r), files, threads);
                double moveCpu = LAST_CPU_MS;
                discard(work.resolve("move" + r));
                Path keepDir = work.resolve("w" + r);
                keepW[r] = hsm(keepDir, files, threads, null, true);
                double keepCpu = LAST_CPU_MS;
                settle();
                releaseW[r] = releasePass(keepDir, count);
                discard(keepDir);
                Path plainDir = work.resolve("plain" + r);
                long c0 = cpuNanos();
                plainW[r] = CloudBench.seconds(count, threads,
                        i -> durableCopy(files.get(i), plainDir.resolve(i + ".dcm")));
                double copyCpu = (cpuNanos() - c0) / 1e6;
                settle();
                unlinkW[r] = plainUnlinks(plainDir, count);
                discard(plainDir);
                System.out.printf(Locale.ROOT, "  round %d, hot -> warm: HSM immediate %.2f s, plain move %.2f s;"
                        + " HSM watermark %.2f s, plain copy %.2f s; release pass %.3f s, plain unlinks %.3f s%n",
                        r + 1, hsmW[r], moveW[r], keepW[r], plainW[r], releaseW[r], unlinkW[r]);
                // CPU time of the process per instance: what a loaded machine's run queue stretches most
                System.out.printf(Locale.ROOT, "           CPU per instance: HSM immediate %.2f ms, plain move %.2f ms,"
                        + " HSM watermark %.2f ms, plain copy %.2f ms%n", hsmCpu / count, moveCpu / count,
                        keepCpu / count, copyCpu / count);
            }
            double hsmWarm = median(hsmW);
            double plainWarm = median(plainW);
            double moveWarm = median(moveW);
            double keepWarm = median(keepW);
            double release = median(releaseW);
            double unlinks = median(unlinkW);
            double hsmCold = 0;
            double plainCold = 0;
            boolean cold = !Boolean.getBoolean("migrationbench.filesOnly");
            if (cold) {
                try (S3MockServer server = S3MockServer.start(work.resolve("s3mock"))) {
                    hsm(work.resolve("warmup"), files, threads, server, false); // unmeasured, as above
                    plainPut(server, "bench-warmup", files, threads);
                    double[] hsmC = new double[rounds];
                    double[] plainC = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        hsmC[r] = hsm(work.resolve("b" + r), files, threads, server, false);
                        plainC[r] = plainPut(server, "bench-plain" + r, files, threads);
                        System.out.printf(Locale.ROOT, "  round %d, hot -> cold: HSM %.2f s, plain %.2f s%n", r + 1,
                                hsmC[r], plainC[r]);
                    }
                    hsmCold = median(hsmC);
                    plainCold = median(plainC);
                }
            }
            System.out.println();
            System.out.printf(Locale.ROOT, "%-34s %12s %12s %12s %7s %16s%n", "case", "HSM inst/s", "HSM MB/s",
                    "plain MB/s", "ratio", "ratio min-max");
            row("immediate vs plain move", count, bytes, hsmWarm, moveWarm, spread(moveW, hsmW), 0.85);
            row("watermark vs plain copy", count, bytes, keepWarm, plainWarm, spread(plainW, keepW), 0.9);
            row("release pass vs plain unlinks", count, bytes, release, unlinks, spread(unlinkW, releaseW), 0);
            row("(immediate vs plain copy)", count, bytes, hsmWarm, plainWarm, spread(plainW, hsmW), 0);
            if (cold) {
                row("hot -> cold (S3Mock) vs PutObject", count, bytes, hsmCold, plainCold, "", 0);
            }
            System.out.printf(Locale.ROOT, "(median of %d alternating rounds, ratio = plain time / HSM time; min-max over"
                    + " the rounds; %d threads, one for the release pass and the unlinks)%n", rounds, threads);
            System.out.printf(Locale.ROOT, "plain move / plain copy on this disk: %.2f (what deleting the sources"
                    + " costs here)%n", plainWarm / moveWarm);
        } finally {
            try (var walk = Files.walk(work)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void row(String name, int count, long bytes, double hsmS, double plainS, String spread,
                            double goal) {
        System.out.printf(Locale.ROOT, "%-34s %12.1f %12.1f %12.1f %7.2f %16s%s%n", name, count / hsmS,
                bytes / 1e6 / hsmS, bytes / 1e6 / plainS, plainS / hsmS, spread,
                goal > 0 ? String.format(Locale.ROOT, "  (goal >= %.2f)", goal) : "");
    }

    /** The lowest and highest per-round ratio plain/HSM. */
    private static String spread(double[] plain, double[] hsm) {
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (int i = 0; i < plain.length; i++) {
            lo = Math.min(lo, plain[i] / hsm[i]);
            hi = Math.max(hi, plain[i] / hsm[i]);
        }
        return String.format(Locale.ROOT, "%.2f-%.2f", lo, hi);
    }

    /** CPU milliseconds of the last timed HSM migration or plain move (single-threaded harness: no race). */
    private static double LAST_CPU_MS;

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Deletes what a case left (untimed) and settles, so the next case starts on the same file system. */
    private static void discard(Path dir) throws IOException, InterruptedException {
        CloudBench.deleteTree(dir);
        settle();
    }

    /** sync(1), untimed: what one case left in the page cache and the journal is written before the next. */
    private static void settle() throws IOException, InterruptedException {
        new ProcessBuilder("sync").inheritIO().start().waitFor();
    }

    private static HsmStorageConfig config(boolean watermark, long hotCapacity) {
        HsmStorageConfig c = HsmStorageConfig.defaults().withNodeId("bench")
                .withDeleteAfterMigration(!Boolean.getBoolean("migrationbench.keepSource"));
        return watermark ? c.withSpace(SpaceConfig.DEFAULTS.withRelease(SpaceConfig.ReleaseMode.WATERMARK)
                .withCapacity(StorageTier.HOT, hotCapacity)) : c;
    }

    /**
     * The release pass after a watermark migration in {@code dir}: reopened with a hot capacity below what hot
     * holds, so every cache copy is due; one thread, timed from the pass's start to its end.
     */
    private static double releasePass(Path dir, int count) throws IOException, InterruptedException {
        try (HsmStorage hsm = open(dir, null, config(true, 1))) {
            settle();
            long t0 = System.nanoTime();
            var r = hsm.releaseHotCopies();
            double s = (System.nanoTime() - t0) / 1e9;
            if (r.released() != count) {
                throw new IllegalStateException("release pass released " + r.released() + " of " + count);
            }
            return s;
        }
    }

    /** Deletes the plain copies one by one on one thread, with a directory sync at the end as the pass does. */
    private static double plainUnlinks(Path dir, int count) throws IOException {
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Files.delete(dir.resolve(i + ".dcm"));
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static HsmStorage open(Path dir, S3MockServer s3, HsmStorageConfig config) {
        StorageBackend hot = new FileStorage(FileStorageConfig.of(dir.resolve("hot")));
        StorageBackend target = s3 == null ? new FileStorage(FileStorageConfig.of(dir.resolve("warm")))
                : new S3Storage(s3Config(s3, "bench-" + dir.getFileName(), 4), dir.resolve("spool"));
        return new HsmStorage(hot, s3 == null ? target : null, s3 == null ? null : target,
                JdbcInstanceCatalog.sqlite(dir.resolve("catalog.db")), config);
    }

    /**
     * Stores the files in hot (unmeasured), then times migrating all of them to warm or (with S3) cold; with
     * {@code watermark} the hot copies stay as a cache.
     */
    private static double hsm(Path dir, List<Path> files, int threads, S3MockServer s3, boolean watermark)
            throws Exception {
        StorageTier to = s3 == null ? StorageTier.WARM : StorageTier.COLD;
        try (HsmStorage hsm = open(dir, s3, config(watermark, Long.MAX_VALUE / 2))) {
            List<SopInstanceUid> uids = new ArrayList<>();
            for (Path f : files) {
                StoredInstance s = hsm.store(f);
                uids.add(s.sopInstanceUid());
            }
            // what a migration cycle does (MigrationCycle.split): even runs of consecutive instances, as many per
            // thread as keep each batch at most 64; uneven ones (6 x 64 + 16 over 4 threads) would leave threads idle
            int parts = threads * (int) Math.ceil(uids.size() / (threads * 64.0));
            List<List<SopInstanceUid>> batches = new ArrayList<>();
            for (int i = 0, from = 0; i < parts && from < uids.size(); i++) {
                int size = (uids.size() - from) / (parts - i);
                batches.add(uids.subList(from, from + size));
                from += size;
            }
            settle(); // the stores' writes are not the migration's
            long c0 = cpuNanos();
            double s = CloudBench.seconds(batches.size(), threads, i -> {
                var r = hsm.migrate(batches.get(i), to);
                if (!r.failed().isEmpty()) {
                    throw new IllegalStateException("migration failed: " + r.failed());
                }
            });
            LAST_CPU_MS = (cpuNanos() - c0) / 1e6;
            if (hsm.getHsmStatistics().count(to) != uids.size()) {
                throw new IllegalStateException("not every instance reached " + to);
            }
            return s;
        }
    }

    private static void durableCopy(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try (InputStream in = Files.newInputStream(from);
             FileChannel ch = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     StandardOpenOption.TRUNCATE_EXISTING);
             OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
            in.transferTo(out);
            ch.force(true);
        }
    }

    /**
     * Context for the files row: a migration also deletes the source, which a plain copy does not. A plain move
     * copies durably and then deletes the source, whose blocks (like the HSM's hot copies) are on disk.
     */
    private static double plainMove(Path dir, List<Path> files, int threads) throws Exception {
        List<Path> sources = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path s = dir.resolve("src").resolve(i + ".dcm");
            durableCopy(files.get(i), s);
            sources.add(s);
        }
        settle();
        long c0 = cpuNanos();
        double s = CloudBench.seconds(files.size(), threads, i -> {
            durableCopy(sources.get(i), dir.resolve("dst").resolve(i + ".dcm"));
            Files.delete(sources.get(i));
        });
        LAST_CPU_MS = (cpuNanos() - c0) / 1e6;
        return s;
    }

    private static CloudStorageConfig s3Config(S3MockServer server, String bucket, int threads) {
        server.createBucket(bucket);
        return CloudStorageConfig.forBucket(bucket).withEndpointUrl(server.endpoint().toString())
                .withRegion(server.region()).withCredentials(server.accessKey(), server.secretKey())
                .withMaxConnections(threads).withTimeouts(3000, 120_000);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double plainPut(S3MockServer server, String bucket, List<Path> files, int threads)
            throws Exception {
        CloudStorageConfig c = s3Config(server, bucket, threads);
        try (S3Client s3 = S3Client.builder().region(Region.of(c.region())).endpointOverride(server.endpoint())
                .forcePathStyle(true).httpClientBuilder(ApacheHttpClient.builder().maxConnections(threads))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(c.accessKeyId(), c.secretAccessKey()))).build()) {
            return CloudBench.seconds(files.size(), threads, i -> s3.putObject(b -> b.bucket(bucket).key("k/" + i),
                    RequestBody.fromFile(files.get(i))));
        }
    }
}
