package org.pacs.storage.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.hsm.StorageTier;
import org.pacs.storage.query.QueryMatcher;

/**
 * find() latency of the HSM catalog with 1,000,000 instances catalogued (goal: under 50 ms for a PatientID
 * and for a StudyInstanceUID query), on SQLite and on PostgreSQL (embedded server on 127.0.0.1). Rows are
 * bulk-inserted in batches; 10,000 patients with 10 studies of 10 instances each.
 * <p>Arguments (optional): {@code instances queries}; defaults 1000000 200.
 */
public final class CatalogFindBench {

    private static final int BATCH = 5_000;
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    private CatalogFindBench() {
    }

    public static void main(String[] args) throws Exception {
        int instances = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        Path work = Files.createTempDirectory("catalogbench-");
        System.out.printf(Locale.ROOT, "CatalogFindBench: %,d instances, %d queries per kind%n", instances, queries);
        try (InstanceCatalog sqlite = JdbcInstanceCatalog.sqlite(work.resolve("catalog.db"))) {
            run("SQLite", sqlite, instances, queries);
        }
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1")
                .start(); InstanceCatalog postgres = JdbcInstanceCatalog.postgres(pg.getPostgresDatabase(), 4)) {
            run("PostgreSQL", postgres, instances, queries);
        }
        try (var files = Files.walk(work)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void run(String name, InstanceCatalog catalog, int instances, int queries) {
        long t = System.nanoTime();
        List<CatalogEntry> batch = new ArrayList<>(BATCH);
        for (int i = 0; i < instances; i++) {
            batch.add(entry(i));
            if (batch.size() == BATCH) {
                catalog.insertBatch(batch);
                batch.clear();
            }
        }
        catalog.insertBatch(batch);
        double insertS = (System.nanoTime() - t) / 1e9;
        System.out.printf(Locale.ROOT, "%-10s bulk insert: %,d rows in %.1f s (%,.0f rows/s)%n", name, instances,
                insertS, instances / insertS);
        Random rnd = new Random(7);
        int patients = Math.max(1, instances / 100);
        int studies = Math.max(1, instances / 10);
        double[] byPatient = measure(queries, () -> {
            DicomDataset q = new DicomDataset().setString(Tag.PatientID, patientId(rnd.nextInt(patients)));
            return catalog.find(q, QueryMatcher.DEFAULT).size();
        }, 100);
        double[] byStudy = measure(queries, () -> {
            DicomDataset q = new DicomDataset().setString(Tag.StudyInstanceUID, studyUid(rnd.nextInt(studies)));
            return catalog.find(q, QueryMatcher.DEFAULT).size();
        }, 10);
        double[] studyLevel = measure(queries, () -> {
            DicomDataset q = new DicomDataset().setString(Tag.QueryRetrieveLevel, "STUDY")
                    .setString(Tag.PatientID, patientId(rnd.nextInt(patients)))
                    .setString(Tag.NumberOfStudyRelatedInstances, "");
            return catalog.find(q, QueryMatcher.DEFAULT).size();
        }, 10);
        print(name, "PatientID (IMAGE, 100 results)", byPatient);
        print(name, "StudyInstanceUID (IMAGE, 10 results)", byStudy);
        print(name, "PatientID (STUDY + counts, 10 results)", studyLevel);
    }

    private static double[] measure(int n, java.util.function.IntSupplier query, int expected) {
        for (int i = 0; i < 20; i++) {
            query.getAsInt(); // warm-up: JIT, statement and page caches
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            int got = query.getAsInt();
            ms[i] = (System.nanoTime() - t) / 1e6;
            if (got != expected) {
                throw new IllegalStateException("expected " + expected + " results, got " + got);
            }
        }
        Arrays.sort(ms);
        return ms;
    }

    private static void print(String db, String what, double[] ms) {
        double p50 = ms[ms.length / 2];
        double p95 = ms[(int) (ms.length * 0.95)];
        System.out.printf(Locale.ROOT, "%-10s %-42s p50 %7.2f ms  p95 %7.2f ms  max %7.2f ms  %s%n", db, what, p50,
                p95, ms[ms.length - 1], p95 < 50 ? "(goal < 50 ms: met)" : "(goal < 50 ms: MISSED)");
    }

    private static String patientId(int p) {
        return "PAT" + p;
    }

    private static String studyUid(int s) {
        return "1.2.826.0.1.3680043.10.1." + s;
    }

    /** Instance i: patient i/100, study i/10, series i/5. */
    private static CatalogEntry entry(int i) {
        int study = i / 10;
        StoredInstance s = new StoredInstance(SopInstanceUid.of("1.2.826.0.1.3680043.10.3." + i), studyUid(study),
                "1.2.826.0.1.3680043.10.2." + (i / 5), "1.2.840.10008.5.1.4.1.1.7", "1.2.840.10008.1.2.1",
                65_536, String.format(Locale.ROOT, "%064x", i), T0.plusSeconds(i));
        Map<Integer, String> a = Map.of(Tag.PatientID, patientId(i / 100), Tag.PatientName, "Patient^" + (i / 100),
                Tag.StudyDate, "2024" + String.format(Locale.ROOT, "%04d", 101 + study % 28), Tag.Modality,
                i % 2 == 0 ? "CT" : "MR", Tag.AccessionNumber, "ACC" + study);
        return CatalogEntry.stored(s, a, StorageTier.HOT, "hot:bench");
    }
}
