package org.pacs.storage.bench;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.dicomweb.DicomWebConfig;
import org.pacs.storage.dicomweb.DicomWebServer;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;
import org.pacs.storage.security.Role;
import org.pacs.storage.security.SqliteSecurityStorage;
import org.pacs.storage.security.User;
import org.pacs.storage.testkit.FreePorts;
import org.pacs.storage.testkit.SyntheticInstances;

/**
 * DICOMweb figures on one machine: STOW-RS of many small instances (one per request, several clients; studies of
 * one series of 50 CT instances) into our
 * server (FileStorage with fsync, authentication, an audit row per request) beside Orthanc's DICOMweb plugin
 * when installed; QIDO study search latency (p50/p95); WADO-RS instance retrieval beside reading the stored
 * files directly; /metadata of one study of many instances read from the stored files. Two references for the
 * STOW figures, with the same bodies and clients: the durable HTTP floor and the HTTP ceiling ({@link HttpFloor}).
 * <p>Arguments (all optional): {@code count pixelBytes clients metadataStudySize}; defaults 5000, 39000, 4,
 * 1000. Run from the root:
 * <pre>
 * mvn -B -q -ntp -pl pacs-storage-bench -am -DskipTests package dependency:build-classpath \
 *     -Dmdep.outputFile=/tmp/bench.cp
 * java -cp pacs-storage-bench/target/classes:$(cat /tmp/bench.cp) org.pacs.storage.bench.DicomWebBench
 * </pre>
 */
public final class DicomWebBench {

    static final String PASSWORD = "bench password 42";

    private DicomWebBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int pixelBytes = args.length > 1 ? Integer.parseInt(args[1]) : 39_000;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int studySize = args.length > 3 ? Integer.parseInt(args[3]) : 1000;
        Path work = Files.createTempDirectory("dicomweb-bench");
        try {
            List<byte[]> bodies = new ArrayList<>(count);
            List<String> studies = new ArrayList<>();
            String study = null;
            String series = null;
            for (int i = 0; i < count; i++) {
                if (i % 50 == 0) {
                    // a CT study is a series of many instances: one series of 50 per study, not a series each
                    // (which had every instance create, and force, a directory of its own)
                    study = UidGenerator.newUid();
                    series = UidGenerator.newUid();
                    studies.add(study);
                }
                DicomDataset h = SyntheticInstances.header("P" + (i / 50), "Bench^Patient", study, series,
                        UidGenerator.newUid(), "CT", "20240101");
                bodies.add(multipart(SyntheticInstances.bytes(h, pixelBytes + (pixelBytes & 1), i)));
            }
            // an unmeasured round first on each side, as JMH would: measured cold, our server shared the two cores
            // with the JIT compiler threads for most of its run (a third of all CPU samples in a perf profile).
            // As many as are measured: after 1,000 our rate was still climbing (to about 1.6 times) for 10,000 more.
            List<byte[]> warmup = new ArrayList<>();
            String warmStudy = null;
            String warmSeries = null;
            for (int i = 0; i < Math.max(500, count); i++) {
                if (i % 50 == 0) {
                    warmStudy = UidGenerator.newUid();
                    warmSeries = UidGenerator.newUid();
                }
                DicomDataset h = SyntheticInstances.header("W" + (i / 50), "Warm^Up", warmStudy, warmSeries,
                        UidGenerator.newUid(), "CT", "20240101");
                warmup.add(multipart(SyntheticInstances.bytes(h, pixelBytes + (pixelBytes & 1), i)));
            }
            System.out.printf(Locale.ROOT, "DicomWebBench: %d instances of %d bytes, %d clients, one instance per"
                    + " request, after %d unmeasured%n", count, bodies.get(0).length, clients, warmup.size());
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            try (FileStorage archive = new FileStorage(FileStorageConfig.of(work.resolve("archive")));
                 SqliteSecurityStorage security = new SqliteSecurityStorage(work.resolve("security.db"))) {
                security.createUser(User.of("bench", "bench", Role.ADMINISTRATOR).withPassword(PASSWORD.toCharArray()));
                try (DicomWebServer web = new DicomWebServer(DicomWebConfig.defaults().withPort(0), archive,
                        security).start()) {
                    String auth = "Basic " + Base64.getEncoder().encodeToString(("bench:" + PASSWORD)
                            .getBytes(StandardCharsets.UTF_8));
                    stow(http, web.baseUrl() + "/studies", auth, warmup, clients);
                    double ours = stow(http, web.baseUrl() + "/studies", auth, bodies, clients);
                    System.out.printf(Locale.ROOT, "%-44s %8.0f instances/s%n", "STOW-RS ours (fsync, auth, audit)",
                            count / ours);
                    double orthanc = orthancStow(work, warmup, bodies, clients);
                    if (orthanc > 0) {
                        System.out.printf(Locale.ROOT, "%-44s %8.0f instances/s%n", "STOW-RS Orthanc DICOMweb plugin",
                                count / orthanc);
                        System.out.printf(Locale.ROOT, "ratio ours / Orthanc: %.2f%n", orthanc / ours);
                    }
                    // what durability alone allows here, same instances and threads: the bound of a durable reply
                    double floor = StorePathBench.floor(work.resolve("floor"), DimseBench.generate(
                            work.resolve("floor-in"), count, pixelBytes), clients);
                    System.out.printf(Locale.ROOT, "%-44s %8.0f instances/s%n", "durable-write floor (no HTTP)", floor);
                    System.out.printf(Locale.ROOT, "ratio ours / floor: %.2f%s%n", count / ours / floor,
                            orthanc > 0 ? String.format(Locale.ROOT, "; 3 x Orthanc / floor: %.2f", 3 * count / orthanc
                                    / floor) : "");
                    // the same with HTTP and an index row: Jetty, the body to a file, fsync, rename, folder fsync,
                    // a group-committed SQLite row, then 200; no DICOM, no auth (see HttpFloor). And what HTTP alone
                    // allows: the same server discarding each body.
                    double durableHttp = httpFloor(http, work.resolve("http-floor"), true, warmup, bodies, clients);
                    double ceiling = httpFloor(http, work.resolve("http-ceiling"), false, warmup, bodies, clients);
                    System.out.printf(Locale.ROOT, "%-44s %8.0f instances/s%n",
                            "durable HTTP floor (Jetty, fsyncs, a row)", durableHttp);
                    System.out.printf(Locale.ROOT, "%-44s %8.0f instances/s%n",
                            "HTTP ceiling (Jetty, body discarded)", ceiling);
                    System.out.printf(Locale.ROOT, "ratio ours / HTTP floor: %.2f%s%n", count / ours / durableHttp,
                            orthanc > 0 ? String.format(Locale.ROOT, "; 3 x Orthanc / HTTP floor: %.2f; 3 x Orthanc /"
                                    + " HTTP ceiling: %.2f", 3 * count / orthanc / durableHttp,
                                    3 * count / orthanc / ceiling) : "");
                    qido(http, web.baseUrl(), auth, studies);
                    wado(http, web, auth, archive, work, clients);
                    metadata(http, web, auth, work, pixelBytes, studySize);
                }
            }
        } finally {
            CloudBench.deleteTree(work);
        }
    }

    private static double stow(HttpClient http, String url, String auth, List<byte[]> bodies, int clients)
            throws Exception {
        return CloudBench.seconds(bodies.size(), clients, i -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "multipart/related; type=\"application/dicom\"; boundary=bench")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i)));
            if (auth != null) {
                b.header("Authorization", auth);
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("STOW " + r.statusCode() + ": " + r.body());
            }
        });
    }

    private static double httpFloor(HttpClient http, Path root, boolean durable, List<byte[]> warmup,
                                    List<byte[]> bodies, int clients) throws Exception {
        try (HttpFloor floor = new HttpFloor(root, durable)) {
            stow(http, floor.url(), null, warmup, clients);
            return bodies.size() / stow(http, floor.url(), null, bodies, clients);
        }
    }

    private static void qido(HttpClient http, String base, String auth, List<String> studies) throws Exception {
        int n = Math.min(500, studies.size() * 5);
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            String q = i % 2 == 0 ? "StudyInstanceUID=" + studies.get(i % studies.size())
                    : "PatientID=P" + (i % studies.size()) + "&includefield=all";
            long t = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/studies?" + q))
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
            nanos[i] = System.nanoTime() - t;
            if (r.statusCode() != 200 || r.body().length() < 10) {
                throw new IllegalStateException("QIDO " + r.statusCode() + ": " + r.body());
            }
        }
        Arrays.sort(nanos);
        System.out.printf(Locale.ROOT, "%-44s p50 %6.1f ms  p95 %6.1f ms (%d searches)%n", "QIDO-RS study search",
                nanos[n / 2] / 1e6, nanos[(int) (n * 0.95)] / 1e6, n);
    }

    private static void wado(HttpClient http, DicomWebServer web, String auth, FileStorage archive, Path work,
                             int clients) throws Exception {
        var list = archive.list();
        long bytes = list.stream().mapToLong(s -> s.sizeBytes()).sum();
        double viaHttp = CloudBench.seconds(list.size(), clients, i -> {
            var s = list.get(i);
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(web.baseUrl() + "/studies/"
                    + s.studyInstanceUid() + "/series/" + s.seriesInstanceUid() + "/instances/" + s.sopInstanceUid()))
                    .header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200 || r.body().length < s.sizeBytes()) {
                throw new IllegalStateException("WADO " + r.statusCode());
            }
        });
        List<Path> files;
        try (var w = Files.walk(work.resolve("archive"))) {
            files = w.filter(p -> p.toString().endsWith(".dcm")).toList();
        }
        double direct = CloudBench.seconds(files.size(), clients, i -> Files.readAllBytes(files.get(i)));
        System.out.printf(Locale.ROOT, "%-44s %8.1f MB/s%n", "WADO-RS instance retrieve", bytes / 1e6 / viaHttp);
        System.out.printf(Locale.ROOT, "%-44s %8.1f MB/s (page cache warm)%n", "reading the stored files directly",
                bytes / 1e6 / direct);
        System.out.printf(Locale.ROOT, "ratio WADO / direct: %.2f%n", direct / viaHttp);
    }

    private static void metadata(HttpClient http, DicomWebServer web, String auth, Path work, int pixelBytes,
                                 int studySize) throws Exception {
        String study = UidGenerator.newUid();
        String series = UidGenerator.newUid();
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < studySize; i++) {
            DicomDataset h = SyntheticInstances.header("PMETA", "Meta^Study", study, series, UidGenerator.newUid(), "CT",
                    "20240101");
            parts.add(multipart(SyntheticInstances.bytes(h, pixelBytes + (pixelBytes & 1), i)));
        }
        stow(http, web.baseUrl() + "/studies", auth, parts, 4);
        long[] ms = new long[5];
        for (int i = 0; i < ms.length; i++) {
            long t = System.nanoTime();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(web.baseUrl() + "/studies/" + study
                    + "/metadata")).header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofString());
            ms[i] = (System.nanoTime() - t) / 1_000_000;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("metadata " + r.statusCode());
            }
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "%-44s median %d ms (files on local disk, read per request)%n",
                "study /metadata, " + studySize + " instances", ms[ms.length / 2]);
    }

    /** Orthanc's STOW-RS on the same bodies, or -1 when Orthanc with its DICOMweb plugin is not installed. */
    private static double orthancStow(Path work, List<byte[]> warmup, List<byte[]> bodies, int clients)
            throws Exception {
        Optional<Orthanc> started = Orthanc.start(work, true);
        if (started.isEmpty()) {
            return -1;
        }
        try (Orthanc orthanc = started.get()) {
            // A fresh client: Orthanc's server drops idle keep-alive connections.
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            stow(http, orthanc.base() + "/dicom-web/studies", null, warmup, clients);
            return stow(http, orthanc.base() + "/dicom-web/studies", null, bodies, clients);
        }
    }

    static byte[] multipart(byte[] instance) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(instance.length + 128);
        out.writeBytes("--bench\r\nContent-Type: application/dicom\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(instance);
        out.writeBytes("\r\n--bench--\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
