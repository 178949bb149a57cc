package org.pacs.storage.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.hsm.StorageTier;
import org.pacs.storage.query.QueryMatcher;

/**
 * find() latency of the catalog with 1,000,000 instances (goal: p95 under 50 ms for each query kind), on SQLite
 * and on PostgreSQL (embedded server on 127.0.0.1). 10,000 patients with 10 studies of 10 instances (2 series)
 * each, study dates spread over ten years. Every query is a QIDO-RS-like study-level search with a page of 100
 * and the usual derived return keys (Number of Study Related Instances and Series, Modalities in Study):
 * StudyDate over one month, PatientID, a PatientName prefix (PatientName=Patient^123*) and StudyInstanceUID.
 * Rows are bulk-inserted through insertBatch, {@value #BATCH} per batch; study dates are scattered over the table
 * (not in insertion order), so a month's rows sit on ~1,100 different pages: the worst case for the date range.
 * <p>Arguments (optional): {@code instances queries}; defaults 1000000 300.
 */
public final class CatalogFindBench {

    private static final int BATCH = 5_000;
    private static final int PAGE = 100;
    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final LocalDate FIRST_DAY = LocalDate.of(2015, 1, 1);
    private static final int DAYS = 3_650;
    private static final DateTimeFormatter DA = DateTimeFormatter.BASIC_ISO_DATE;

    private CatalogFindBench() {
    }

    public static void main(String[] args) throws Exception {
        int instances = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        Path work = Files.createTempDirectory("catalogbench-");
        System.out.printf(Locale.ROOT, "CatalogFindBench: %,d instances, %d queries per kind, pages of %d%n",
                instances, queries, PAGE);
        try {
            try (InstanceCatalog sqlite = JdbcInstanceCatalog.sqlite(work.resolve("catalog.db"))) {
                run("SQLite", sqlite, instances, queries, () -> { });
            }
            try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1")
                    .setDataDirectory(work.resolve("pg")).start();
                 InstanceCatalog postgres = JdbcInstanceCatalog.postgres(pg.getPostgresDatabase(), 4)) {
                // what autovacuum does a minute after a bulk load anyway: measure the steady state, not the
                // vacuum, statistics and checkpoint running beside the first queries
                run("PostgreSQL", postgres, instances, queries, () -> {
                    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                        s.execute("VACUUM ANALYZE instances");
                        s.execute("CHECKPOINT");
                    } catch (SQLException e) {
                        throw new IllegalStateException("VACUUM ANALYZE failed", e);
                    }
                });
            }
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(String name, InstanceCatalog catalog, int instances, int queries, Runnable settle) {
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
        t = System.nanoTime();
        settle.run();
        System.out.printf(Locale.ROOT, "%-10s settle after the load: %.1f s%n", name, (System.nanoTime() - t) / 1e9);
        Random rnd = new Random(7);
        int patients = Math.max(1, instances / 100);
        int studies = Math.max(1, instances / 10);
        QueryMatcher m = QueryMatcher.DEFAULT;
        print(name, "StudyDate one month, limit 100", measure(queries, () -> {
            LocalDate from = FIRST_DAY.plusDays(rnd.nextInt(DAYS - 31));
            return study().setString(Tag.StudyDate, DA.format(from) + "-" + DA.format(from.plusDays(30)));
        }, catalog, m, n -> n > 0 && n <= PAGE));
        print(name, "PatientID (10 studies)", measure(queries,
                () -> study().setString(Tag.PatientID, patientId(rnd.nextInt(patients))), catalog, m, n -> n == 10));
        print(name, "PatientName=Patient^<n>* prefix, limit 100", measure(queries,
                () -> study().setString(Tag.PatientName, "Patient^" + (100 + rnd.nextInt(Math.max(1, patients / 10
                        - 100))) + "*"), catalog, m, n -> n >= 10 && n <= PAGE));
        print(name, "StudyInstanceUID (1 study)", measure(queries,
                () -> study().setString(Tag.StudyInstanceUID, studyUid(rnd.nextInt(studies))), catalog, m,
                n -> n == 1));
    }

    /** A study-level QIDO-RS-like query with the derived return keys a viewer asks for. */
    private static DicomDataset study() {
        return new DicomDataset().setString(Tag.QueryRetrieveLevel, "STUDY").set(Tag.StudyDate, VR.DA)
                .set(Tag.PatientName, VR.PN).set(Tag.NumberOfStudyRelatedInstances, VR.IS)
                .set(Tag.NumberOfStudyRelatedSeries, VR.IS).set(Tag.ModalitiesInStudy, VR.CS);
    }

    private static double[] measure(int n, Supplier<DicomDataset> queries, InstanceCatalog catalog, QueryMatcher m,
                                    IntPredicate expected) {
        for (int i = 0; i < 20; i++) {
            catalog.find(queries.get(), m, PAGE, 0); // warm-up: JIT, statement and page caches
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            DicomDataset q = queries.get();
            long t = System.nanoTime();
            List<DicomDataset> got = catalog.find(q, m, PAGE, 0);
            ms[i] = (System.nanoTime() - t) / 1e6;
            if (!expected.test(got.size())) {
                throw new IllegalStateException("unexpected " + got.size() + " results for " + q);
            }
            if (!got.isEmpty() && got.get(0).getString(Tag.NumberOfStudyRelatedInstances).isEmpty()) {
                throw new IllegalStateException("no Number of Study Related Instances in " + got.get(0));
            }
        }
        Arrays.sort(ms);
        return ms;
    }

    private static void print(String db, String what, double[] ms) {
        double p50 = ms[ms.length / 2];
        double p95 = ms[(int) (ms.length * 0.95)];
        System.out.printf(Locale.ROOT, "%-10s %-44s p50 %7.2f ms  p95 %7.2f ms  max %7.2f ms  %s%n", db, what, p50,
                p95, ms[ms.length - 1], p95 < 50 ? "(goal < 50 ms: met)" : "(goal < 50 ms: MISSED)");
    }

    private static String patientId(int p) {
        return "PAT" + p;
    }

    private static String studyUid(int s) {
        return "1.2.826.0.1.3680043.10.1." + s;
    }

    /** Instance i: patient i/100, study i/10 (on a day of its own over ten years), series i/5. */
    private static CatalogEntry entry(int i) {
        int study = i / 10;
        StoredInstance s = new StoredInstance(SopInstanceUid.of("1.2.826.0.1.3680043.10.3." + i), studyUid(study),
                "1.2.826.0.1.3680043.10.2." + (i / 5), "1.2.840.10008.5.1.4.1.1.7", "1.2.840.10008.1.2.1",
                65_536, String.format(Locale.ROOT, "%064x", i), T0.plusSeconds(i));
        // studies are scattered over the days (a multiplicative hash), not in date order
        String date = DA.format(FIRST_DAY.plusDays((int) ((study * 2_654_435_761L) % DAYS)));
        Map<Integer, String> a = Map.of(Tag.PatientID, patientId(i / 100), Tag.PatientName, "Patient^" + (i / 100),
                Tag.StudyDate, date, Tag.Modality, i % 10 < 5 ? "CT" : "MR", Tag.AccessionNumber, "ACC" + study);
        return CatalogEntry.stored(s, a, StorageTier.HOT, "hot:bench");
    }
}
