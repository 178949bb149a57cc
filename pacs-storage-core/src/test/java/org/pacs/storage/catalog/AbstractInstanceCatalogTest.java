package org.pacs.storage.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pacs.storage.catalog.CatalogTestData.entry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.query.QueryMatcher;
import org.pacs.storage.hsm.StorageTier;

/** The catalog contract, run against real SQLite and real PostgreSQL. */
abstract class AbstractInstanceCatalogTest {

    static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    static final QueryMatcher QM = QueryMatcher.DEFAULT;

    protected InstanceCatalog catalog;

    protected abstract InstanceCatalog open();

    @BeforeEach
    void setUp() {
        catalog = open();
    }

    @AfterEach
    void tearDown() {
        catalog.close();
    }

    private static SopInstanceUid uid(String v) {
        return SopInstanceUid.of(v);
    }

    @Test
    void insertGetAndDuplicate() {
        CatalogEntry e = entry("1.2.3.1", "1.2.3", "1.2.3.9", "P1", "DOE^JOHN", 100, T0);
        assertThat(catalog.insert(e)).isTrue();
        assertThat(catalog.insert(e)).isFalse();
        CatalogEntry got = catalog.get(uid("1.2.3.1")).orElseThrow();
        assertThat(got.instance()).isEqualTo(e.instance());
        assertThat(got.attributes()).isEqualTo(e.attributes());
        assertThat(got.tier()).isEqualTo(StorageTier.HOT);
        assertThat(got.migrationState()).isEqualTo(MigrationState.NONE);
        assertThat(got.lastAccess()).isEmpty();
        assertThat(catalog.get(uid("9.9"))).isEmpty();
    }

    @Test
    void hotCopiesAreRecordedReleasedAndListedOldestFirst() {
        Instant now = T0.plusSeconds(3600);
        Instant lease = now.plusSeconds(600);
        for (int i = 1; i <= 3; i++) {
            catalog.insert(entry("7.7." + i, "7.7", "7.7.9", "P7", "DOE^JANE", 100 * i, T0.plusSeconds(i)));
            SopInstanceUid u = uid("7.7." + i);
            assertThat(catalog.beginMigration(u, "n1", StorageTier.HOT, StorageTier.WARM, MigrationState.COPYING, now,
                    lease)).isTrue();
            // watermark release: the hot source becomes a recorded cache copy with the tier switch
            assertThat(catalog.commitTier(u, "n1", MigrationState.COPYING, "warm:x", MigrationState.COMMITTED, lease,
                    true)).isTrue();
            assertThat(catalog.finish(u, "n1", MigrationState.COMMITTED)).isTrue();
        }
        CatalogEntry got = catalog.get(uid("7.7.2")).orElseThrow();
        assertThat(got.tier()).isEqualTo(StorageTier.WARM);
        assertThat(got.hotCopy()).isTrue();
        assertThat(catalog.hotCopyUsage()).isEqualTo(new InstanceCatalog.TierUsage(3, 600));
        catalog.recordAccess(Map.of(uid("7.7.1"), T0.plusSeconds(100))); // read since: released last
        assertThat(catalog.hotCopies(10, now)).extracting(e -> e.instance().sopInstanceUid().value())
                .containsExactly("7.7.2", "7.7.3", "7.7.1");

        assertThat(catalog.beginHotCopyChange(uid("7.7.2"), "n1", MigrationState.RELEASING, now, lease)).isTrue();
        assertThat(catalog.hotCopies(10, now)).as("mid-release rows are not offered again").hasSize(2);
        assertThat(catalog.beginHotCopyChange(uid("7.7.2"), "n2", MigrationState.RELEASING, now, lease)).isFalse();
        assertThat(catalog.unfinished("n1", now)).extracting(e -> e.migrationState())
                .containsExactly(MigrationState.RELEASING);
        assertThat(catalog.finishHotCopyChange(uid("7.7.2"), "n1", MigrationState.RELEASING, false)).isTrue();
        assertThat(catalog.get(uid("7.7.2")).orElseThrow().hotCopy()).isFalse();
        assertThat(catalog.hotCopyUsage()).isEqualTo(new InstanceCatalog.TierUsage(2, 400));

        // a recall records the copy; only for a row in warm or cold without one
        assertThat(catalog.beginHotCopyChange(uid("7.7.3"), "n1", MigrationState.RECALLING, now, lease)).isFalse();
        assertThat(catalog.beginHotCopyChange(uid("7.7.2"), "n1", MigrationState.RECALLING, now, lease)).isTrue();
        assertThat(catalog.finishHotCopyChange(uid("7.7.2"), "n1", MigrationState.RECALLING, true)).isTrue();
        assertThat(catalog.get(uid("7.7.2")).orElseThrow().hotCopy()).isTrue();

        // a move back into hot makes the copy the home one: no cache copy recorded any more
        assertThat(catalog.beginMigration(uid("7.7.3"), "n1", StorageTier.WARM, StorageTier.HOT,
                MigrationState.COPYING, now, lease)).isTrue();
        assertThat(catalog.commitTier(uid("7.7.3"), "n1", MigrationState.COPYING, "hot:x", MigrationState.COMMITTED,
                lease)).isTrue();
        CatalogEntry back = catalog.get(uid("7.7.3")).orElseThrow();
        assertThat(back.tier()).isEqualTo(StorageTier.HOT);
        assertThat(back.hotCopy()).isFalse();
        // a replacing store rewrites the row into hot: the cache record goes with the old bytes
        assertThat(catalog.replace(entry("7.7.1", "7.7", "7.7.9", "P7", "DOE^JANE", 55, T0))).isTrue();
        assertThat(catalog.get(uid("7.7.1")).orElseThrow().hotCopy()).isFalse();
    }

    @Test
    void findMatchesInSqlWithDicomSemantics() {
        catalog.insertBatch(List.of(
                entry("1.1.1", "1.1", "1.1.5", "P1", "DOE^JOHN", 10, T0),
                entry("1.1.2", "1.1", "1.1.5", "P1", "DOE^JOHN", 10, T0),
                entry("1.1.3", "1.1", "1.1.6", "P1", "DOE^JOHN", 10, T0),
                entry("2.1.1", "2.1", "2.1.5", "P2%", "SMITH^ANN", 10, T0),
                entry("3.1.1", "3.1", "3.1.5", "x' OR '1'='1", "O'BRIEN^[X]", 10, T0)));
        assertThat(uids(find(Tag.PatientID, "P1"))).containsExactly("1.1.1", "1.1.2", "1.1.3");
        assertThat(uids(find(Tag.StudyInstanceUID, "2.1"))).containsExactly("2.1.1");
        assertThat(uids(catalog.find(new DicomDataset().setString(Tag.StudyInstanceUID, "2.1", "3.1"), QM)))
                .containsExactly("2.1.1", "3.1.1");
        // '%' in a value is literal; '?' and '*' are DICOM wildcards
        assertThat(uids(find(Tag.PatientID, "P2%"))).containsExactly("2.1.1");
        assertThat(uids(find(Tag.PatientID, "P_"))).isEmpty();
        assertThat(uids(find(Tag.PatientID, "P?"))).containsExactly("1.1.1", "1.1.2", "1.1.3");
        assertThat(uids(find(Tag.PatientID, "p1"))).as("case-sensitive").isEmpty();
        assertThat(uids(find(Tag.PatientName, "doe*"))).as("PN case-sensitive by default").isEmpty();
        assertThat(uids(new QueryMatcher(true), Tag.PatientName, "doe*")).as("PN ignoring case").hasSize(3);
        assertThat(uids(find(Tag.PatientName, "DOE*"))).hasSize(3);
        assertThat(uids(find(Tag.PatientName, "O'BRIEN^[X]"))).containsExactly("3.1.1");
        assertThat(uids(find(Tag.PatientID, "x' OR '1'='1"))).containsExactly("3.1.1");
        assertThat(uids(find(Tag.StudyDate, "20240101-20240131"))).hasSize(5);
        assertThat(uids(find(Tag.StudyDate, "-20231231"))).isEmpty();

        DicomDataset study = new DicomDataset().setString(Tag.QueryRetrieveLevel, "STUDY")
                .setString(Tag.PatientID, "P1").set(Tag.NumberOfStudyRelatedInstances, VR.IS)
                .set(Tag.NumberOfStudyRelatedSeries, VR.IS).set(Tag.ModalitiesInStudy, VR.CS);
        List<DicomDataset> studies = catalog.find(study, QM);
        assertThat(studies).hasSize(1);
        assertThat(studies.get(0).getString(Tag.StudyInstanceUID)).contains("1.1");
        assertThat(studies.get(0).getString(Tag.NumberOfStudyRelatedInstances)).contains("3");
        assertThat(studies.get(0).getString(Tag.NumberOfStudyRelatedSeries)).contains("2");
        assertThat(studies.get(0).getStrings(Tag.ModalitiesInStudy)).containsExactly("CT");
        assertThat(studies.get(0).contains(Tag.SOPInstanceUID)).isFalse();

        DicomDataset series = new DicomDataset().setString(Tag.QueryRetrieveLevel, "SERIES")
                .setString(Tag.StudyInstanceUID, "1.1").setString(Tag.Modality, "");
        assertThat(catalog.find(series, QM)).extracting(d -> d.getString(Tag.SeriesInstanceUID).orElseThrow())
                .containsExactly("1.1.5", "1.1.6");
    }

    private List<String> uids(QueryMatcher m, int tag, String value) {
        return uids(catalog.find(new DicomDataset().setString(tag, value), m));
    }

    private List<DicomDataset> find(int tag, String value) {
        return catalog.find(new DicomDataset().setString(tag, value), QM);
    }

    private static List<String> uids(List<DicomDataset> results) {
        List<String> out = new ArrayList<>();
        results.forEach(d -> out.add(d.getString(Tag.SOPInstanceUID).orElseThrow()));
        return out;
    }

    @Test
    void accessTimesNeverMoveBackwards() {
        catalog.insert(entry("1.5", "1.1", "1.1.5", "P1", null, 10, T0));
        catalog.recordAccess(Map.of(uid("1.5"), T0.plusSeconds(100)));
        catalog.recordAccess(Map.of(uid("1.5"), T0.plusSeconds(50)));
        assertThat(catalog.get(uid("1.5")).orElseThrow().lastAccess()).contains(T0.plusSeconds(100));
    }

    @Test
    void candidatesAreIdleBigEnoughAndOldestFirst() {
        catalog.insertBatch(List.of(
                entry("1.1", "1.1", "1.1.5", "P1", null, 10, T0.plusSeconds(30)),
                entry("1.2", "1.1", "1.1.5", "P1", null, 10, T0.plusSeconds(10)),
                entry("1.3", "1.1", "1.1.5", "P1", null, 5, T0),
                entry("1.4", "1.1", "1.1.5", "P1", null, 10, T0.plusSeconds(20))));
        catalog.recordAccess(Map.of(uid("1.4"), T0.plusSeconds(500)));
        Instant now = T0.plusSeconds(1000);
        List<CatalogEntry> c = catalog.candidates(StorageTier.HOT, T0.plusSeconds(100), 8, 10, now);
        assertThat(c).extracting(e -> e.instance().sopInstanceUid().value()).containsExactly("1.2", "1.1");
        assertThat(catalog.candidates(StorageTier.WARM, now, 0, 10, now)).isEmpty();
    }

    @Test
    void concurrentClaimsNeverShareARow() throws Exception {
        List<CatalogEntry> rows = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            rows.add(entry("1.9." + i, "1.1", "1.1.5", "P1", null, 10, T0));
        }
        catalog.insertBatch(rows);
        Instant now = T0.plusSeconds(10);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<String>>> futures = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            String owner = "node-" + n;
            futures.add(pool.submit(() -> {
                go.await();
                List<String> mine = new ArrayList<>();
                List<CatalogEntry> got;
                do {
                    got = catalog.claimCandidates(StorageTier.HOT, now, 0, 7, owner, now, now.plusSeconds(60));
                    got.forEach(e -> mine.add(e.instance().sopInstanceUid().value()));
                } while (!got.isEmpty());
                return mine;
            }));
        }
        go.countDown();
        Set<String> all = new HashSet<>();
        int total = 0;
        for (Future<List<String>> f : futures) {
            List<String> mine = f.get();
            total += mine.size();
            all.addAll(mine);
        }
        pool.shutdown();
        assertThat(total).isEqualTo(200);
        assertThat(all).hasSize(200);
        // a live lease blocks another owner; an expired one does not
        assertThat(catalog.claim(uid("1.9.1"), "intruder", now, now.plusSeconds(60))).isFalse();
        assertThat(catalog.claim(uid("1.9.1"), "intruder", now.plusSeconds(61), now.plusSeconds(120))).isTrue();
    }

    @Test
    void stateMachineUpdatesOnlyForTheClaimOwner() {
        catalog.insert(entry("1.7", "1.1", "1.1.5", "P1", null, 10, T0));
        SopInstanceUid u = uid("1.7");
        Instant lease = T0.plusSeconds(60);
        assertThat(catalog.claim(u, "a", T0, lease)).isTrue();
        assertThat(catalog.beginMigration(u, "b", StorageTier.HOT, StorageTier.WARM, MigrationState.COPYING, T0,
                lease)).as("a's live claim").isFalse();
        assertThat(catalog.beginMigration(u, "a", StorageTier.WARM, StorageTier.COLD, MigrationState.COPYING, T0,
                lease)).as("wrong source tier").isFalse();
        assertThat(catalog.beginMigration(u, "a", StorageTier.HOT, StorageTier.WARM, MigrationState.COPYING, T0,
                lease)).isTrue();
        assertThat(catalog.beginMigration(u, "a", StorageTier.HOT, StorageTier.WARM, MigrationState.COPYING, T0,
                lease)).as("already begun").isFalse();
        assertThat(catalog.unfinished("a", T0)).hasSize(1);
        assertThat(catalog.unfinished("b", T0)).as("live lease of another node").isEmpty();
        assertThat(catalog.unfinished("b", lease.plusSeconds(1))).as("expired lease").hasSize(1);
        assertThat(catalog.advance(u, "a", MigrationState.COPYING, MigrationState.COPIED, lease)).isTrue();
        assertThat(catalog.commitTier(u, "a", MigrationState.COPYING, "x", MigrationState.COMMITTED, lease))
                .as("wrong from-state").isFalse();
        assertThat(catalog.commitTier(u, "a", MigrationState.COPIED, "warm:x", MigrationState.COMMITTED, lease))
                .isTrue();
        CatalogEntry e = catalog.get(u).orElseThrow();
        assertThat(e.tier()).isEqualTo(StorageTier.WARM);
        assertThat(e.migrationSource()).isEqualTo(StorageTier.HOT);
        assertThat(catalog.tierUsage()).containsKey(StorageTier.WARM);
        assertThat(catalog.finishMigrated(u, "a", MigrationState.COMMITTED, 10)).isTrue();
        assertThat(catalog.counter(InstanceCatalog.MIGRATIONS_COMPLETED)).isEqualTo(1);
        assertThat(catalog.counter(InstanceCatalog.MIGRATED_BYTES)).isEqualTo(10);
        e = catalog.get(u).orElseThrow();
        assertThat(e.migrationState()).isEqualTo(MigrationState.NONE);
        assertThat(e.claimOwner()).isNull();
        assertThat(catalog.unfinished("a", T0)).isEmpty();
    }

    @Test
    void getAllReturnsTheCataloguedOnesInOneGo() {
        List<CatalogEntry> rows = new ArrayList<>();
        for (int i = 0; i < 600; i++) { // more than one IN list
            rows.add(entry("1.9." + i, "1.1", "1.1.5", "P1", null, 10, T0));
        }
        catalog.insertBatch(rows);
        List<SopInstanceUid> asked = new ArrayList<>(rows.stream().map(r -> r.instance().sopInstanceUid()).toList());
        asked.add(uid("1.9.99999"));
        Map<SopInstanceUid, CatalogEntry> got = catalog.getAll(asked);
        assertThat(got).hasSize(600).doesNotContainKey(uid("1.9.99999"));
        assertThat(got.get(uid("1.9.7")).instance()).isEqualTo(rows.get(7).instance());
        assertThat(catalog.getAll(List.of())).isEmpty();
    }

    @Test
    void atomicallyCommitsEveryChangeOrNone() {
        catalog.insertBatch(List.of(entry("1.8.1", "1.1", "1.1.5", "P1", null, 10, T0),
                entry("1.8.2", "1.1", "1.1.5", "P1", null, 10, T0)));
        Instant lease = T0.plusSeconds(60);
        RuntimeException boom = new IllegalStateException("the batch failed half-way");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalog.atomically(() -> {
            assertThat(catalog.beginMigration(uid("1.8.1"), "n1", StorageTier.HOT, StorageTier.WARM,
                    MigrationState.COPYING, T0, lease)).isTrue();
            assertThat(catalog.get(uid("1.8.1")).orElseThrow().migrationState())
                    .as("visible inside the transaction").isEqualTo(MigrationState.COPYING);
            throw boom;
        })).isSameAs(boom);
        assertThat(catalog.get(uid("1.8.1")).orElseThrow().migrationState()).as("rolled back")
                .isEqualTo(MigrationState.NONE);

        int begun = catalog.atomically(() -> {
            int n = 0;
            for (String u : List.of("1.8.1", "1.8.2")) {
                n += catalog.beginMigration(uid(u), "n1", StorageTier.HOT, StorageTier.WARM, MigrationState.COPYING,
                        T0, lease) ? 1 : 0;
            }
            // nested calls join the same transaction rather than committing it early
            catalog.finishMigrated(uid("1.8.2"), "n1", MigrationState.COPYING, 10);
            return n;
        });
        assertThat(begun).isEqualTo(2);
        assertThat(catalog.get(uid("1.8.1")).orElseThrow().migrationState()).isEqualTo(MigrationState.COPYING);
        assertThat(catalog.get(uid("1.8.2")).orElseThrow().migrationState()).isEqualTo(MigrationState.NONE);
        assertThat(catalog.counter(InstanceCatalog.MIGRATIONS_COMPLETED)).isEqualTo(1);
    }

    @Test
    void statisticsAndCounters() {
        catalog.insertBatch(List.of(entry("1.1", "1.1", "1.1.5", "P1", null, 10, T0),
                entry("1.2", "1.2", "1.2.5", "P2", null, 32, T0)));
        assertThat(catalog.statistics().totalInstances()).isEqualTo(2);
        assertThat(catalog.statistics().totalBytes()).isEqualTo(42);
        assertThat(catalog.statistics().patientsCount()).isEqualTo(2);
        assertThat(catalog.tierUsage().get(StorageTier.HOT)).isEqualTo(new InstanceCatalog.TierUsage(2, 42));
        catalog.addToCounter("x", 2);
        catalog.addToCounter("x", 3);
        assertThat(catalog.counter("x")).isEqualTo(5);
        assertThat(catalog.counter("y")).isZero();
        assertThat(catalog.delete(uid("1.1"))).isTrue();
        assertThat(catalog.list()).hasSize(1);
    }


    private static CatalogEntry withHeader(CatalogEntry e, org.pacs.storage.StoredHeader h) {
        return CatalogEntry.stored(e.instance(), e.attributes(), e.tier(), e.location(), h);
    }

    private static org.pacs.storage.StoredHeader header(int size, int seed, org.pacs.storage.PixelLayout p) {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        return new org.pacs.storage.StoredHeader(b, p);
    }

    @Test
    void keptHeadersCommitWithTheirRowsAndGoWithThem() {
        var h1 = header(5000, 1, org.pacs.storage.PixelLayout.nativeValue(5000, 1_000_000));
        // encapsulated, 32-bit values at their top end included (stored as 4 bytes, read back unsigned)
        var h2 = header(3000, 2, new org.pacs.storage.PixelLayout(3000, org.pacs.storage.PixelLayout.ENCAPSULATED,
                new long[]{0, 4900}, new long[]{4892, 0xFFFFFFF0L}));
        var h3 = new org.pacs.storage.StoredHeader(header(200, 3, null).part10(), List.of(
                new org.pacs.storage.StoredHeader.Elided(0x00091010, VR.OB, 5000),
                new org.pacs.storage.StoredHeader.Elided(0x60003000, VR.OW, 0xFFFFFFFEL)), null);
        CatalogEntry a = withHeader(entry("1.5.1", "1.5", "1.5.8", "P1", null, 10, T0), h1);
        CatalogEntry b = withHeader(entry("1.5.2", "1.5", "1.5.9", "P1", null, 10, T0), h2);
        CatalogEntry c = entry("1.5.3", "1.5", "1.5.9", "P1", null, 10, T0);
        assertThat(catalog.insertEach(List.of(a, b, c))).containsExactly(true, true, true);
        assertThat(catalog.insert(withHeader(entry("2.5.1", "2.5", "2.5.8", "P2", null, 10, T0), h3))).isTrue();

        assertThat(catalog.storedHeader(uid("1.5.1"))).hasValue(h1);
        assertThat(catalog.storedHeader(uid("1.5.2"))).hasValue(h2);
        assertThat(catalog.storedHeader(uid("1.5.3"))).isEmpty();
        assertThat(catalog.storedHeader(uid("2.5.1"))).hasValue(h3);
        assertThat(catalog.storedHeaders("1.5", null)).isEqualTo(Map.of(uid("1.5.1"), h1, uid("1.5.2"), h2));
        assertThat(catalog.storedHeaders("1.5", "1.5.9")).isEqualTo(Map.of(uid("1.5.2"), h2));
        assertThat(catalog.storedHeaders("9.9", null)).isEmpty();
        // rows read back carry no header bytes
        assertThat(catalog.get(uid("1.5.1")).orElseThrow().header()).isNull();

        // a store that finds its UID taken leaves the first header alone
        assertThat(catalog.insertEach(List.of(withHeader(a, h2)))).containsExactly(false);
        assertThat(catalog.storedHeader(uid("1.5.1"))).hasValue(h1);
        // a REPLACE store rewrites the header with its row, or drops it when it kept none
        assertThat(catalog.replace(withHeader(a, h3))).isTrue();
        assertThat(catalog.storedHeader(uid("1.5.1"))).hasValue(h3);
        assertThat(catalog.replace(entry("1.5.1", "1.5", "1.5.8", "P1", null, 10, T0))).isTrue();
        assertThat(catalog.storedHeader(uid("1.5.1"))).isEmpty();

        assertThat(catalog.delete(uid("1.5.2"))).isTrue();
        assertThat(catalog.storedHeader(uid("1.5.2"))).isEmpty();
        assertThat(catalog.storedHeaders("1.5", null)).isEmpty();
        // a removal in flight hides the header as it hides the row
        assertThat(catalog.claim(uid("2.5.1"), "n1", T0, T0.plusSeconds(60))).isTrue();
        assertThat(catalog.advance(uid("2.5.1"), "n1", MigrationState.NONE, MigrationState.REMOVING,
                T0.plusSeconds(60))).isTrue();
        assertThat(catalog.storedHeader(uid("2.5.1"))).isEmpty();
    }

    @Test
    void aBatchKeepsHeadersOnlyBesideRowsOfTheSameBytes() {
        var h1 = header(1000, 4, null);
        var h2 = header(1200, 5, null);
        CatalogEntry there = entry("1.6.1", "1.6", "1.6.8", "P1", null, 10, T0);
        catalog.insert(there);
        org.pacs.storage.StoredInstance i = there.instance();
        CatalogEntry otherBytes = CatalogEntry.stored(new org.pacs.storage.StoredInstance(i.sopInstanceUid(),
                i.studyInstanceUid(), i.seriesInstanceUid(), i.sopClassUid(), i.transferSyntaxUid(), 11,
                "0".repeat(64), T0), there.attributes(), StorageTier.HOT, "hot:test", h1);
        CatalogEntry fresh = withHeader(entry("1.6.2", "1.6", "1.6.8", "P1", null, 10, T0), h2);
        assertThat(catalog.insertBatch(List.of(otherBytes, fresh))).isEqualTo(1);
        assertThat(catalog.storedHeader(uid("1.6.1"))).as("another instance's header").isEmpty();
        assertThat(catalog.storedHeader(uid("1.6.2"))).hasValue(h2);
    }
}
