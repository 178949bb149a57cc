package org.pacs.storage.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three ways IngestBench puts the same files somewhere durable: the durable-write floor (plain Java, no
 * DICOM, no index), {@code pacs-storage store} as a process, and Orthanc's REST {@code POST /instances}. Each
 * returns instances per second over its whole run.
 */
final class IngestPaths {

    private IngestPaths() {
    }

    /**
     * The durable-write floor, on {@code threads} threads (one file each at a time): read the whole file; write it
     * to a temp file in {@code root/.tmp}; {@code FileChannel.force(true)} (fsync); rename it atomically to
     * {@code root/STUDY/SERIES/NAME} (the file tier's default hierarchical layout, one directory for the series);
     * fsync that directory. Every file pays its own directory fsync: nothing is shared between files, no DICOM is
     * parsed, nothing is hashed and no index is written.
     */
    static double floor(BenchInstances.Series in, Path root, int threads) throws Exception {
        Path tmp = Files.createDirectories(root.resolve(".tmp"));
        Path dir = Files.createDirectories(root.resolve(in.studyUid()).resolve(in.seriesUid()));
        forceDirectory(root);
        double seconds = CloudBench.seconds(in.files().size(), threads, i -> {
            Path src = in.files().get(i);
            writeDurably(Files.readAllBytes(src), tmp.resolve(i + ".tmp"), dir.resolve(src.getFileName()));
        });
        return in.files().size() / seconds;
    }

    /**
     * The floors' one durable write: {@code bytes} to the new file {@code tmp}, forced, renamed atomically to
     * {@code target}, and {@code target}'s folder forced.
     */
    static void writeDurably(byte[] bytes, Path tmp, Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(target.getParent());
    }

    /** The launcher's JVM options for every command but serve, as a {@code java @file} argument. */
    static final Path SHORT_COMMAND_OPTIONS = Path.of("pacs-storage-cli/short-commands.jvmopts");

    /**
     * {@link ProcessFloor} as a process, on the same files and threads, JVM start included, with the launcher's
     * options for short commands ({@link #SHORT_COMMAND_OPTIONS}) but no class-data archive of its own. Instances
     * per second over the whole process.
     */
    static double processFloor(BenchInstances.Series in, Path root, int threads) throws Exception {
        Files.createDirectories(root);
        if (!Files.isRegularFile(SHORT_COMMAND_OPTIONS)) {
            throw new IllegalStateException("no " + SHORT_COMMAND_OPTIONS.toAbsolutePath() + "; run the bench from"
                    + " the repository's root");
        }
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + SHORT_COMMAND_OPTIONS.toAbsolutePath(),
                "-cp", System.getProperty("java.class.path"), ProcessFloor.class.getName(),
                in.dir().toAbsolutePath().toString(), root.toAbsolutePath().toString(), Integer.toString(threads));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(root.resolve("floor.out").toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        double seconds = waitTimed(p, start, "the process floor");
        if (p.exitValue() != 0) {
            throw new IllegalStateException("the process floor failed: " + Files.readString(root.resolve("floor.out")));
        }
        return in.files().size() / seconds;
    }

    /** Waits (30 minutes at most) for {@code p}, started at {@code startNanos}; its run's seconds. */
    private static double waitTimed(Process p, long startNanos, String what) throws InterruptedException {
        if (!p.waitFor(30, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(what + " did not finish in 30 minutes");
        }
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * How {@code pacs-storage} is started: the launcher script users run (README), which picks the JVM options for
     * a short command and maps the class-data archive, when it sits beside the default jar; else {@code java -jar}
     * (another jar given with {@code -Dpacs.cli.jar}, or no script).
     */
    static List<String> command(Path jar) {
        Path launcher = Path.of(System.getProperty("pacs.cli.launcher", "pacs-storage")).toAbsolutePath();
        Path defaultJar = Path.of("pacs-storage-cli/target/pacs-storage.jar").toAbsolutePath();
        if (Files.isExecutable(launcher) && jar.toAbsolutePath().normalize().equals(defaultJar.normalize())) {
            return List.of(launcher.toString());
        }
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toAbsolutePath().toString());
    }

    /**
     * One unmeasured {@code store} of a single file, so that the launcher's first run after a build (which writes
     * the class-data archive, about a second once) is not one of the measured runs.
     */
    static void warmLauncher(Path jar, Path work, Path oneFile) throws Exception {
        Path in = Files.createDirectories(work.resolve("warm-in"));
        Files.copy(oneFile, in.resolve(oneFile.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        store(jar, work.resolve("warm-archive"), in, 1, Map.of());
    }

    /**
     * The store path {@code store} runs (HsmStorage over a file hot tier with fsync and the SQLite catalog, group
     * commit, {@code threads} stores at once) in this JVM, after {@code warmRounds} unmeasured rounds over the same
     * files into archives of their own: the code's rate once the JIT has compiled it, without a process's start and
     * warm-up. Each round's archive is kept until the bench ends, as the other paths' output is.
     */
    static double warmStore(BenchInstances.Series in, Path root, int threads, int warmRounds) throws Exception {
        double rate = 0;
        for (int round = 0; round <= warmRounds; round++) {
            Path dir = root.resolve("round" + round);
            try (org.pacs.storage.hsm.HsmStorage archive = StorePathBench.fileArchive(dir.resolve("hot"),
                    dir.resolve("catalog.db"))) {
                double seconds = CloudBench.seconds(in.files().size(), threads, i -> archive.store(in.files().get(i)));
                rate = in.files().size() / seconds;
            }
        }
        return rate;
    }

    /** What one {@code store} process reported. */
    record StoreRun(double perSecond, long stored, String out) {
    }

    /**
     * {@code pacs-storage store --threads N DIR} (see {@link #command}) in {@code work} (so the embedded default, or the
     * {@code pacs-storage.yaml} written there, is used), timed from process start to exit: JVM start, opening the
     * archive and closing it included.
     */
    static StoreRun store(Path jar, Path work, Path input, int threads, Map<String, String> env) throws Exception {
        Files.createDirectories(work);
        List<String> cmd = new java.util.ArrayList<>(command(jar));
        cmd.addAll(List.of("store", "--threads", Integer.toString(threads), input.toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile())
                .redirectOutput(work.resolve("store.out").toFile()).redirectError(work.resolve("store.err").toFile());
        pb.environment().remove("PACS_STORAGE_CONFIG");
        pb.environment().putAll(env);
        long start = System.nanoTime();
        Process p = pb.start();
        double seconds = waitTimed(p, start, "store");
        String out = Files.readString(work.resolve("store.out"));
        Matcher m = Pattern.compile("Stored (\\d+) of (\\d+) files").matcher(out);
        if (p.exitValue() != 0 || !m.find() || !m.group(1).equals(m.group(2))) {
            throw new IllegalStateException("store failed (exit " + p.exitValue() + "): " + out
                    + Files.readString(work.resolve("store.err")));
        }
        return new StoreRun(Long.parseLong(m.group(1)) / seconds, Long.parseLong(m.group(1)), out.strip());
    }

    /**
     * Orthanc's REST {@code POST /instances} from {@code clients} Java HttpClient threads (one request at a time
     * each), the same files; every answer must be 200. Orthanc's start is not timed.
     */
    static double orthanc(Orthanc o, BenchInstances.Series in, int clients) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        URI uri = URI.create(o.base() + "/instances");
        double seconds = CloudBench.seconds(in.files().size(), clients, i -> {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/dicom")
                    .timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.ofFile(in.files().get(i))).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("Orthanc answered " + r.statusCode() + " for " + in.files().get(i));
            }
        });
        return in.files().size() / seconds;
    }
}
