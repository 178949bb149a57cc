package org.pacs.storage.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.dicomweb.DicomWebConfig;
import org.pacs.storage.dicomweb.DicomWebServer;
import org.pacs.storage.dimse.DimseConfig;
import org.pacs.storage.dimse.DimseServer;
import org.pacs.storage.file.FileBlobStore;
import org.pacs.storage.file.FileStorageConfig;
import org.pacs.storage.hsm.HsmStorage;
import org.pacs.storage.hsm.HsmStorageConfig;
import org.pacs.storage.hsm.StorageTier;
import org.pacs.storage.security.Role;
import org.pacs.storage.security.SqliteSecurityStorage;
import org.pacs.storage.security.User;

/**
 * Study searches on a large catalog through both faces, end to end: QIDO-RS over HTTP/1.1 with keep-alive and a
 * viewer's credentials (Basic, the verdict cached), and C-FIND through DCMTK's findscu (a process per query, as a
 * modality worklist client runs it; an echoscu alone is timed for scale). The catalog is filled by
 * {@link ArchiveScaleBench#fill} (no instance files: searches never touch a tier). Args: instances (default
 * 1,000,000), rounds per query (default 50), work directory (reused when it holds a filled catalog).
 */
public final class QueryScaleBench {

    private static final String PASSWORD = "bench-viewer-pw";
    /** Requests before the measured ones, after the first query type's cold request is timed. */
    private static final int WARMUP = 10;

    private QueryScaleBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory(Path.of("/work"), "query-scale");
        long t0 = System.nanoTime();
        ArchiveScaleBench.Filled f = Files.exists(dir.resolve("pacs-archive/catalog.db"))
                ? ArchiveScaleBench.probe(dir) : ArchiveScaleBench.fill(dir, count, false);
        System.out.printf(Locale.ROOT, "catalog of %,d instances ready in %.0f s (%s)%n", count,
                (System.nanoTime() - t0) / 1e9, dir);
        Map<StorageTier, BlobStore> tiers = new EnumMap<>(StorageTier.class);
        tiers.put(StorageTier.HOT, new FileBlobStore(FileStorageConfig.of(dir.resolve("pacs-archive/hot"))));
        try (HsmStorage archive = new HsmStorage(tiers, JdbcInstanceCatalog.sqlite(
                dir.resolve("pacs-archive/catalog.db")), HsmStorageConfig.defaults());
             SqliteSecurityStorage security = new SqliteSecurityStorage(dir.resolve("security.db"))) {
            try {
                security.getUserByUsername("viewer");
            } catch (org.pacs.storage.StorageException e) { // a new work directory
                security.createUser(User.of("viewer", "viewer", Role.VIEWER).withPassword(PASSWORD.toCharArray()));
            }
            try (DicomWebServer web = new DicomWebServer(DicomWebConfig.defaults().withPort(0), archive,
                    security).start();
                 DimseServer dimse = new DimseServer(DimseConfig.defaults().withPort(0), archive).start()) {
                String month = f.studyDateMonth();
                System.out.printf(Locale.ROOT, "%-62s %9s %9s %9s%n", "query (end to end)", "p50 ms", "p95 ms",
                        "first ms");
                qido(web, "StudyDate=" + month + "&limit=100", rounds);
                qido(web, "StudyDate=" + month + "&limit=100&includefield=NumberOfStudyRelatedInstances"
                        + "&includefield=ModalitiesInStudy", rounds);
                qido(web, "PatientID=PID-42", rounds);
                qido(web, "PatientName=Scale%5EPatient%5E12*&limit=100", rounds);
                if (Files.isExecutable(Path.of("/usr/bin/findscu"))) {
                    dcmtk("echoscu (association only, for scale)", List.of("echoscu", "-aec", "PACS", "127.0.0.1",
                            Integer.toString(dimse.port())), rounds / 5);
                    dcmtk("C-FIND study, StudyDate " + month, List.of("findscu", "-S", "-aec", "PACS",
                            "-k", "QueryRetrieveLevel=STUDY", "-k", "StudyDate=" + month, "-k", "StudyInstanceUID",
                            "-k", "NumberOfStudyRelatedInstances", "127.0.0.1", Integer.toString(dimse.port())),
                            rounds / 5);
                    dcmtk("C-FIND study, PatientID PID-42", List.of("findscu", "-S", "-aec", "PACS", "-k",
                            "QueryRetrieveLevel=STUDY", "-k", "PatientID=PID-42", "-k", "StudyInstanceUID",
                            "127.0.0.1", Integer.toString(dimse.port())), rounds / 5);
                }
            }
        }
    }

    private static void qido(DicomWebServer web, String query, int rounds) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String auth = "Basic " + Base64.getEncoder().encodeToString(("viewer:" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest req = HttpRequest.newBuilder(URI.create(web.baseUrl() + "/studies?" + query))
                .header("Authorization", auth).header("Accept", "application/dicom+json").build();
        double[] ms = new double[rounds + 1];
        int results = 0;
        for (int i = 0; i <= rounds; i++) {
            if (i == 1) {
                for (int w = 0; w < WARMUP; w++) { // JIT and page cache, after the cold request was timed
                    http.send(req, HttpResponse.BodyHandlers.discarding());
                }
            }
            long t = System.nanoTime();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            ms[i] = (System.nanoTime() - t) / 1e6;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("QIDO " + query + ": " + r.statusCode() + " " + r.body());
            }
            results = r.body().split("\"0020000D\"", -1).length - 1;
        }
        print("QIDO /studies?" + query + " (" + results + ")", ms);
    }

    private static void dcmtk(String name, List<String> cmd, int rounds) throws Exception {
        double[] ms = new double[Math.max(3, rounds) + 1];
        for (int i = 0; i < ms.length; i++) {
            ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("TCP_NODELAY", "1");
            long t = System.nanoTime();
            Process p = pb.start();
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed");
            }
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        print(name, ms);
    }

    /** p50 and p95 of all but the first (cold) request, and the first. */
    private static void print(String name, double[] ms) {
        double[] warm = Arrays.copyOfRange(ms, 1, ms.length);
        Arrays.sort(warm);
        System.out.printf(Locale.ROOT, "%-62s %9.1f %9.1f %9.1f%n", name.length() > 62 ? name.substring(0, 62) : name,
                warm[warm.length / 2], warm[(int) Math.min(warm.length - 1, Math.round(warm.length * 0.95))], ms[0]);
    }
}
