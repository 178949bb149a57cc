package org.pacs.storage.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.pacs.storage.testkit.azure.AzuriteServer;
import org.pacs.storage.testkit.s3.S3MockServer;

/**
 * Ingest throughput (issue 14), in one run on the same files (CT-like instances from {@link BenchInstances}):
 * the durable-write floor ({@link IngestPaths#floor}), the same work plus a SHA-256 and a group-committed SQLite
 * row as a process of its own ({@link ProcessFloor}: what a JVM can do here with nothing of ours in it),
 * {@code pacs-storage store} as a process (JVM start included) on the embedded default (file tiers with fsync,
 * SQLite catalog), the same store path in this JVM once its JIT is warm ({@link IngestPaths#warmStore}: what a
 * process's start and warm-up cost shows beside it), and Orthanc fed over REST by 4 clients when installed; then
 * the ratios store/floor (target at least 0.5) and store/Orthanc (at least 3). Also {@code store} into an
 * archive whose hot tier is S3 (S3Mock) and Azure (Azurite), with 1 thread and with N, which shows whether the
 * uploads really run in parallel. Each figure is the median of {@code runs} runs with the
 * spread (min-max) and the 1-minute load average while it ran: other work on the machine moves these figures.
 * <pre>
 * mvn -B -q -o -ntp -pl pacs-storage-bench,pacs-storage-cli -am package -DskipTests -Dazurite.install.skip=true \
 *     dependency:build-classpath -Dmdep.outputFile=/tmp/storecli-bench.cp
 * java -cp pacs-storage-bench/target/classes:$(cat /tmp/storecli-bench.cp) org.pacs.storage.bench.IngestBench \
 *     [sizes=5000x39000,1000x1MiB,20000x3000] [threads=N] [clients=4] [runs=1] [cloud=500] [orthanc=true]
 * </pre>
 * {@code threads} defaults to what {@code store} uses (16, or twice the cores if more); {@code cloud=N} is the
 * number of instances (of the first size) for the S3 and Azure rows, 0 skips them; {@code -Dpacs.cli.jar=} points
 * at another jar (default pacs-storage-cli/target/pacs-storage.jar, run through the {@code pacs-storage} launcher
 * script as users run it: its JVM options for short commands and its class-data archive; another jar runs with
 * plain {@code java -jar}).
 */
public final class IngestBench {

    private record Size(int count, int bytes) {
        static Size parse(String s) {
            String[] p = s.toLowerCase(Locale.ROOT).split("x", 2);
            String b = p[1];
            int unit = b.endsWith("mib") ? 1 << 20 : b.endsWith("kib") ? 1 << 10 : 1;
            return new Size(Integer.parseInt(p[0]), Integer.parseInt(b.replaceAll("[a-z]+$", "")) * unit);
        }

        String label() {
            return String.format(Locale.ROOT, "%,d x %s", count, bytes >= 1 << 20 ? bytes / (1 << 20) + " MiB"
                    : bytes >= 10_000 ? Math.round(bytes / 1000.0) + " KB" : String.format(Locale.ROOT, "%.0f KB",
                    bytes / 1000.0));
        }
    }

    /** One path's runs: instances per second and the load average during each. */
    private static final class Figures {
        final List<Double> rates = new ArrayList<>();
        final List<Double> loads = new ArrayList<>();

        void add(double rate, double load) {
            rates.add(rate);
            loads.add(load);
        }
    }

    /**
     * Unmeasured rounds before the in-process store path is timed (see {@link IngestPaths#warmStore}): its rate
     * rose for five rounds of 5,000 here (757, 1,749, 2,034, 2,413, 2,588, then 2,754/s) as C2 compiled more.
     */
    private static final int WARM_ROUNDS = 5;

    /** Whether the launcher has had its unmeasured first run (see {@link IngestPaths#warmLauncher}). */
    private static boolean launcherWarmed;

    private IngestBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>(Map.of("sizes", "5000x39000,1000x1MiB,20000x3000",
                "threads", Integer.toString(Math.max(16, Math.min(64, 2 * Runtime.getRuntime().availableProcessors()))),
                "clients", "4", "runs", "1", "cloud", "500", "orthanc", "true"));
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2 || !o.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown argument " + a + "; accepted: " + o.keySet() + " as key=value");
            }
            o.put(kv[0], kv[1]);
        }
        int threads = Integer.parseInt(o.get("threads"));
        int clients = Integer.parseInt(o.get("clients"));
        int runs = Integer.parseInt(o.get("runs"));
        int cloud = Integer.parseInt(o.get("cloud"));
        boolean orthanc = Boolean.parseBoolean(o.get("orthanc"));
        Path jar = Path.of(System.getProperty("pacs.cli.jar", "pacs-storage-cli/target/pacs-storage.jar"));
        if (!Files.isRegularFile(jar)) {
            System.out.println("IngestBench: no " + jar.toAbsolutePath() + "; build it (package pacs-storage-cli) or"
                    + " pass -Dpacs.cli.jar=");
            return;
        }
        Path work = Files.createTempDirectory("ingest-bench-");
        System.out.printf(Locale.ROOT, "IngestBench: %d cores, %d threads (floor and store), %d Orthanc clients, %d"
                + " run(s); load average %s; work dir %s%n", Runtime.getRuntime().availableProcessors(), threads,
                clients, runs, loadAverage(), work);
        System.out.println("store runs as: " + String.join(" ", IngestPaths.command(jar)) + " store ...");
        List<String> table = new ArrayList<>();
        try {
            for (String spec : o.get("sizes").split(",")) {
                table.addAll(local(Size.parse(spec), jar, work, threads, clients, runs, orthanc));
            }
            if (cloud > 0) {
                table.addAll(cloud(new Size(cloud, Size.parse(o.get("sizes").split(",")[0]).bytes()), jar, work,
                        threads, runs));
            }
        } finally {
            CloudBench.deleteTree(work);
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-15s %-46s %9s %17s %8s %6s%n", "instances", "path", "inst/s", "min-max",
                "MB/s", "load");
        table.forEach(System.out::println);
        System.out.println("(inst/s: median over the runs; min-max: their spread; MB/s: 10^6 instance bytes per"
                + " second at the median; load: 1-minute load average, median over the runs)");
    }

    private static List<String> local(Size size, Path jar, Path work, int threads, int clients, int runs,
                                      boolean withOrthanc) throws Exception {
        progress("generating " + size.label());
        BenchInstances.Series in = BenchInstances.ct(work.resolve("in-" + size.count() + "x" + size.bytes()),
                size.count(), size.bytes());
        if (!launcherWarmed) {
            IngestPaths.warmLauncher(jar, work.resolve("warm"), in.files().get(0));
            launcherWarmed = true;
        }
        Figures floor = new Figures();
        Figures store = new Figures();
        Figures orthanc = new Figures();
        Figures warm = new Figures();
        Figures processFloor = new Figures();
        // Each path's output (and input) stays until the bench ends (a few GB at the default sizes). On a file system without a journal (this
        // machine's ext4), each file created within minutes of many unlinks scans past every recently deleted
        // inode of its block group (ext4's recently_deleted), so a path timed right after another path's cleanup
        // pays for it: that alone moved the figures two- to fourfold here.
        Path out = work.resolve("out-" + size.count() + "x" + size.bytes());
        for (int r = 1; r <= runs; r++) {
            progress(size.label() + " run " + r + ": floor");
            floor.add(IngestPaths.floor(in, out.resolve("floor" + r), threads), load());
            progress(size.label() + " run " + r + ": process floor");
            processFloor.add(IngestPaths.processFloor(in, out.resolve("process-floor" + r), threads), load());
            progress(size.label() + " run " + r + ": store");
            IngestPaths.StoreRun s = IngestPaths.store(jar, out.resolve("store" + r), in.dir(), threads, Map.of());
            store.add(s.perSecond(), load());
            progress("  " + s.out());
            progress(size.label() + " run " + r + ": store path in process, JIT warm");
            warm.add(IngestPaths.warmStore(in, out.resolve("warm" + r), threads, WARM_ROUNDS), load());
            if (withOrthanc) {
                progress(size.label() + " run " + r + ": Orthanc");
                Optional<Orthanc> started = Orthanc.start(out.resolve("orthanc" + r), false);
                if (started.isPresent()) {
                    try (Orthanc running = started.get()) {
                        orthanc.add(IngestPaths.orthanc(running, in, clients), load());
                    }
                }
            }
        }
        List<String> rows = new ArrayList<>();
        double mb = in.totalBytes() / 1e6 / size.count();
        rows.add(row(size.label(), "durable-write floor, " + threads + " threads", floor, mb));
        rows.add(row("", "process floor (JVM start, SHA-256, a row)", processFloor, mb));
        rows.add(row("", "pacs-storage store (process), " + threads + " threads", store, mb));
        rows.add(row("", "store path in process, JIT warm, " + threads + " threads", warm, mb));
        if (!orthanc.rates.isEmpty()) {
            rows.add(row("", "Orthanc REST POST /instances, " + clients + " clients", orthanc, mb));
        }
        rows.add(ratio("store / floor (target >= 0.5)", store, floor));
        rows.add(ratio("process floor / floor", processFloor, floor));
        rows.add(ratio("store / process floor", store, processFloor));
        if (!orthanc.rates.isEmpty()) {
            rows.add(ratio("store / Orthanc (target >= 3)", store, orthanc));
            rows.add(ratio("process floor / Orthanc", processFloor, orthanc));
        }
        rows.add(ratio("warm store path / floor", warm, floor));
        if (!orthanc.rates.isEmpty()) {
            rows.add(ratio("warm store path / Orthanc", warm, orthanc));
        }
        return rows;
    }

    /** store into an archive whose hot tier is S3 (S3Mock) or Azure (Azurite), 1 thread and {@code threads}. */
    private static List<String> cloud(Size size, Path jar, Path work, int threads, int runs) throws Exception {
        progress("generating " + size.label() + " for the cloud hot tiers");
        BenchInstances.Series in = BenchInstances.ct(work.resolve("in-cloud"), size.count(), size.bytes());
        double mb = in.totalBytes() / 1e6 / size.count();
        List<String> rows = new ArrayList<>();
        try (S3MockServer s3 = S3MockServer.start(work.resolve("s3mock"))) {
            Map<Integer, Figures> f = new LinkedHashMap<>();
            for (int t : new int[] {1, threads}) {
                f.put(t, new Figures());
                for (int r = 1; r <= runs; r++) {
                    String bucket = "hot-" + t + "-" + r;
                    s3.createBucket(bucket);
                    Path dir = Files.createDirectories(work.resolve("s3-" + bucket));
                    Files.writeString(dir.resolve("pacs-storage.yaml"), """
                            tiers:
                              hot:
                                type: s3
                                bucket-name: %s
                                region: %s
                                access-key-id: %s
                                secret-access-key: ${S3_SECRET}
                                endpoint-url: %s
                            """.formatted(bucket, s3.region(), s3.accessKey(), s3.endpoint()));
                    progress("S3 hot tier, " + t + " thread(s), run " + r);
                    IngestPaths.StoreRun s = IngestPaths.store(jar, dir, in.dir(), t, Map.of("S3_SECRET",
                            s3.secretKey()));
                    f.get(t).add(s.perSecond(), load());
                    CloudBench.deleteTree(dir);
                }
            }
            f.forEach((t, fig) -> rows.add(row(rows.isEmpty() ? size.label() : "", "store, hot tier S3 (S3Mock), "
                    + t + " thread" + (t == 1 ? "" : "s"), fig, mb)));
            rows.add(ratio("S3: " + threads + " threads / 1 thread", f.get(threads), f.get(1)));
        }
        try (AzuriteServer azurite = AzuriteServer.start()) {
            Map<Integer, Figures> f = new LinkedHashMap<>();
            for (int t : new int[] {1, threads}) {
                f.put(t, new Figures());
                for (int r = 1; r <= runs; r++) {
                    String container = "hot-" + t + "-" + r;
                    Path dir = Files.createDirectories(work.resolve("azure-" + container));
                    Files.writeString(dir.resolve("pacs-storage.yaml"), """
                            tiers:
                              hot:
                                type: azure
                                container-name: %s
                                connection-string: ${AZURE_CONNECTION}
                                create-container: true
                            """.formatted(container));
                    progress("Azure hot tier, " + t + " thread(s), run " + r);
                    IngestPaths.StoreRun s = IngestPaths.store(jar, dir, in.dir(), t, Map.of("AZURE_CONNECTION",
                            azurite.connectionString()));
                    f.get(t).add(s.perSecond(), load());
                    CloudBench.deleteTree(dir);
                }
            }
            f.forEach((t, fig) -> rows.add(row("", "store, hot tier Azure (Azurite), " + t + " thread"
                    + (t == 1 ? "" : "s"), fig, mb)));
            rows.add(ratio("Azure: " + threads + " threads / 1 thread", f.get(threads), f.get(1)));
        } catch (IllegalStateException e) {
            rows.add(String.format(Locale.ROOT, "%-15s %s", "", "Azure rows skipped: " + e.getMessage()));
        }
        return rows;
    }

    private static String row(String size, String path, Figures f, double mbPerInstance) {
        double med = median(f.rates);
        return String.format(Locale.ROOT, "%-15s %-46s %9.0f %17s %8.1f %6.2f", size, path, med, spread(f.rates, "%.0f"),
                med * mbPerInstance, median(f.loads));
    }

    /** The ratio of the medians, and the spread of the per-run ratios. */
    private static String ratio(String name, Figures a, Figures b) {
        List<Double> each = new ArrayList<>();
        for (int i = 0; i < Math.min(a.rates.size(), b.rates.size()); i++) {
            each.add(a.rates.get(i) / b.rates.get(i));
        }
        return String.format(Locale.ROOT, "%-15s %-46s %9.2f %17s", "", name, median(a.rates) / median(b.rates),
                spread(each, "%.2f"));
    }

    private static double median(List<Double> v) {
        if (v.isEmpty()) {
            return Double.NaN;
        }
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String spread(List<Double> v, String fmt) {
        if (v.size() < 2) {
            return "-";
        }
        double[] s = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return String.format(Locale.ROOT, fmt + "-" + fmt, s[0], s[s.length - 1]);
    }

    private static double load() {
        return Double.parseDouble(loadAverage().split(" ")[0]);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return String.join(" ", Arrays.copyOf(f, 3));
        } catch (Exception e) {
            return "0 (unknown)";
        }
    }

    private static void progress(String what) {
        System.out.printf(Locale.ROOT, "%s %s%n", java.time.LocalTime.now().withNano(0), what);
    }
}
