package org.pacs.storage.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.IntegrityReport;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;
import org.pacs.storage.StorageStatistics;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.WriteBatch;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomWriter;
import org.pacs.storage.dicom.TransferSyntax;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.blob.Digests;

/**
 * The contract every {@link StorageBackend} passes. A backend module subclasses this once, says how to make
 * an empty backend and how to damage its stored bytes, and inherits every test. A backend with a known,
 * documented difference overrides that one test and asserts the difference instead.
 * <p>Find semantics are in {@link AbstractStorageBackendTest#findSemantics()} with their fixture in
 * {@link FindFixture}; bad inputs in {@link BadInputs}.
 */
public abstract class AbstractStorageBackendTest {

    /** Per-test scratch directory, for backends that need local files. */
    @TempDir
    protected Path tempDir;

    /** The backend under test, from {@link #createBackend()}; closed after each test. */
    protected StorageBackend backend;

    /** A new backend over an EMPTY store (a fresh root, bucket or container) with this duplicate policy. */
    protected abstract StorageBackend createBackend(DuplicatePolicy policy);

    /** Changes some bytes of the stored object in place, behind the backend's back. */
    protected abstract void corruptStoredBytes(StorageBackend backend, StoredInstance instance) throws Exception;

    /** Deletes the stored object behind the backend's back, leaving its index entry. */
    protected abstract void deleteStoredBytes(StorageBackend backend, StoredInstance instance) throws Exception;

    /**
     * Settings for the forked large-instance JVM: a backend of the same kind that it can open while this
     * test's backend is open (e.g. another root or bucket).
     */
    protected abstract ForkedBackend forkedBackend(Path scratchDir) throws Exception;

    protected StorageBackend createBackend() {
        return createBackend(DuplicatePolicy.IGNORE_IDENTICAL_REJECT_DIFFERENT);
    }

    /** Off with -Dpacs.test.large=false, or by overriding. */
    protected boolean runLargeInstanceTest() {
        return !"false".equalsIgnoreCase(System.getProperty("pacs.test.large"));
    }

    /** Pixel bytes of the large instance: 2 GiB, so the instance itself is just over 2 GiB. */
    protected long largeInstancePixelBytes() {
        return 2L << 30;
    }

    @BeforeEach
    void openBackend() {
        backend = createBackend();
    }

    @AfterEach
    void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    // ---- round trips -------------------------------------------------------------------------------------

    @Test
    void everyPydicomSampleRoundTripsByteForByte() throws Exception {
        DicomSamples.assumeAvailable();
        List<Path> samples = DicomSamples.storable();
        assertThat(samples).as("storable pydicom samples").hasSizeGreaterThan(40);
        assertSoftly(soft -> {
            for (int i = 0; i < samples.size(); i++) {
                Path p = samples.get(i);
                try {
                    String expected = sha256(Files.newInputStream(p));
                    StoredInstance s;
                    // Alternate the two streaming entry points so both see every kind of file.
                    if (i % 2 == 0) {
                        s = backend.store(p);
                    } else {
                        try (InputStream in = Files.newInputStream(p)) {
                            s = backend.store(in);
                        }
                    }
                    soft.assertThat(s.sha256()).as(p + " stored hash").isEqualTo(expected);
                    soft.assertThat(s.sizeBytes()).as(p + " size").isEqualTo(Files.size(p));
                    soft.assertThat(sha256(backend.open(s.sopInstanceUid()))).as(p + " read-back hash").isEqualTo(expected);
                    soft.assertThat(backend.describe(s.sopInstanceUid())).as(p + " describe").contains(s);
                    // Samples share UIDs across transfer syntaxes: clear the way for the next one.
                    backend.remove(s.sopInstanceUid());
                } catch (Exception | AssertionError e) {
                    soft.fail(p + ": " + e);
                }
            }
        });
        assertThat(backend.list()).isEmpty();
    }

    @Test
    void inMemoryDatasetsRoundTrip() {
        for (String ts : List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN, TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN)) {
            DicomDataset d = SyntheticInstances.dataset(SyntheticInstances.header(), 2048, 3);
            d.set(org.pacs.storage.dicom.Tag.TransferSyntaxUID, org.pacs.storage.dicom.VR.UI, ts);
            StoredInstance s = backend.store(d);
            assertThat(s.transferSyntaxUid()).isEqualTo(ts);
            assertThat(s.sha256()).as("stored bytes are the writer's encoding")
                    .isEqualTo(sha256(new ByteArrayInputStream(DicomWriter.toBytes(d, ts))));
            assertThat(sha256(backend.open(s.sopInstanceUid()))).isEqualTo(s.sha256());
            DicomDataset back = backend.retrieve(s.sopInstanceUid());
            assertThat(back.withoutGroup(0x0002)).isEqualTo(d.withoutGroup(0x0002));
            assertThat(back.getUid(org.pacs.storage.dicom.Tag.TransferSyntaxUID)).contains(ts);
        }
    }

    @Test
    void batchesStoreAndRetrieveInOrder() {
        List<DicomDataset> in = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            in.add(SyntheticInstances.dataset(SyntheticInstances.header(), 64, i));
        }
        List<StoredInstance> stored = backend.storeBatch(in);
        List<DicomDataset> out = backend.retrieveBatch(stored.stream().map(StoredInstance::sopInstanceUid).toList());
        for (int i = 0; i < in.size(); i++) {
            assertThat(out.get(i).withoutGroup(0x0002)).isEqualTo(in.get(i).withoutGroup(0x0002));
        }
    }

    @Test
    void aWriteBatchStoresAndRemovesAsSingleCallsDo() throws Exception {
        List<StoredInstance> stored = new ArrayList<>();
        try (WriteBatch batch = backend.batch()) {
            for (int i = 0; i < 3; i++) {
                stored.add(batch.store(SyntheticInstances.stream(SyntheticInstances.header(), 256, i)));
            }
            for (StoredInstance s : stored) { // visible before the commit
                try (InputStream in = backend.open(s.sopInstanceUid())) {
                    assertThat(sha256(in)).isEqualTo(s.sha256());
                }
            }
            batch.commit();
            batch.remove(stored.get(0).sopInstanceUid());
            assertThat(backend.exists(stored.get(0).sopInstanceUid())).isFalse();
            assertReason(() -> batch.remove(stored.get(0).sopInstanceUid()), Reason.NOT_FOUND);
        } // close commits the removal
        assertThat(backend.list()).containsExactlyInAnyOrderElementsOf(stored.subList(1, 3));
        assertThat(backend.verifyIntegrity().isClean()).isTrue();
    }

    // ---- find, statistics -------------------------------------------------------------------------------

    @Test
    void findSemantics() {
        FindFixture.storeInto(backend);
        FindFixture.assertFindSemantics(backend);
    }

    @Test
    void statisticsCountInstancesBytesAndEntities() {
        assertThat(backend.statistics()).isEqualTo(StorageStatistics.EMPTY);
        List<StoredInstance> stored = FindFixture.storeInto(backend);
        long bytes = stored.stream().mapToLong(StoredInstance::sizeBytes).sum();
        assertThat(backend.statistics()).isEqualTo(new StorageStatistics(stored.size(), bytes, FindFixture.STUDIES,
                FindFixture.SERIES, FindFixture.PATIENTS));
        assertThat(backend.list()).containsExactlyInAnyOrderElementsOf(stored);
    }

    // ---- duplicates, remove, exists ---------------------------------------------------------------------

    @Test
    void defaultPolicyIgnoresIdenticalBytesAndRejectsDifferentOnes() {
        DicomDataset h = SyntheticInstances.header();
        StoredInstance first = backend.store(new ByteArrayInputStream(SyntheticInstances.bytes(h, 256, 1)));
        StoredInstance again = backend.store(new ByteArrayInputStream(SyntheticInstances.bytes(h, 256, 1)));
        assertThat(again.sha256()).isEqualTo(first.sha256());
        assertReason(() -> backend.store(new ByteArrayInputStream(SyntheticInstances.bytes(h, 256, 2))),
                Reason.ALREADY_EXISTS);
        assertThat(sha256(backend.open(first.sopInstanceUid()))).isEqualTo(first.sha256());
        assertThat(backend.statistics().totalInstances()).isEqualTo(1);
    }

    @Test
    void explicitDuplicatePolicies() {
        DicomDataset h = SyntheticInstances.header();
        byte[] a = SyntheticInstances.bytes(h, 256, 1);
        byte[] b = SyntheticInstances.bytes(h, 512, 2);
        try (StorageBackend reject = createBackend(DuplicatePolicy.REJECT)) {
            StoredInstance s = reject.store(new ByteArrayInputStream(a));
            assertReason(() -> reject.store(new ByteArrayInputStream(a)), Reason.ALREADY_EXISTS);
            assertThat(sha256(reject.open(s.sopInstanceUid()))).isEqualTo(s.sha256());
        }
        try (StorageBackend replace = createBackend(DuplicatePolicy.REPLACE)) {
            StoredInstance s = replace.store(new ByteArrayInputStream(a));
            StoredInstance r = replace.store(new ByteArrayInputStream(b));
            assertThat(r.sha256()).isNotEqualTo(s.sha256());
            assertThat(sha256(replace.open(s.sopInstanceUid()))).isEqualTo(r.sha256());
            assertThat(replace.statistics()).isEqualTo(new StorageStatistics(1, b.length, 1, 1, 1));
            assertThat(replace.verifyIntegrity().isClean()).isTrue();
        }
        try (StorageBackend ignore = createBackend(DuplicatePolicy.IGNORE)) {
            StoredInstance s = ignore.store(new ByteArrayInputStream(a));
            assertThat(ignore.store(new ByteArrayInputStream(b))).isEqualTo(s);
            assertThat(sha256(ignore.open(s.sopInstanceUid()))).isEqualTo(s.sha256());
        }
    }

    @Test
    void removeAndExists() {
        StoredInstance s = backend.store(SyntheticInstances.dataset(SyntheticInstances.header(), 128, 5));
        SopInstanceUid uid = s.sopInstanceUid();
        assertThat(backend.exists(uid)).isTrue();
        assertThat(backend.exists(SopInstanceUid.of(UidGenerator.newUid()))).isFalse();
        backend.remove(uid);
        assertThat(backend.exists(uid)).isFalse();
        assertThat(backend.describe(uid)).isEmpty();
        assertReason(() -> backend.open(uid), Reason.NOT_FOUND);
        assertReason(() -> backend.retrieve(uid), Reason.NOT_FOUND);
        assertReason(() -> backend.remove(uid), Reason.NOT_FOUND);
        assertThat(backend.statistics()).isEqualTo(StorageStatistics.EMPTY);
        assertThat(backend.verifyIntegrity().isClean()).isTrue();
        // Removed means gone for good: storing it again is a fresh store.
        assertThat(backend.store(SyntheticInstances.dataset(SyntheticInstances.header(), 128, 5))).isNotNull();
    }

    // ---- concurrency ------------------------------------------------------------------------------------

    @Test
    void eightThreadsStoreAndRetrieveAtOnce() throws Exception {
        int threads = 8;
        int perThread = 10;
        byte[] shared = SyntheticInstances.bytes(SyntheticInstances.header(), 1024, 99);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<StoredInstance>>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int id = t;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    List<StoredInstance> mine = new ArrayList<>();
                    // Everyone sends the same instance too: identical resends must all succeed.
                    mine.add(backend.store(new ByteArrayInputStream(shared)));
                    for (int i = 0; i < perThread; i++) {
                        StoredInstance s = backend.store(SyntheticInstances.dataset(SyntheticInstances.header(),
                                2048 + i, id * 1000L + i));
                        mine.add(s);
                        assertThat(sha256(backend.open(s.sopInstanceUid()))).isEqualTo(s.sha256());
                    }
                    return mine;
                }));
            }
            assertThat(ready.await(60, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            List<StoredInstance> all = new ArrayList<>();
            for (Future<List<StoredInstance>> f : futures) {
                all.addAll(f.get(5, TimeUnit.MINUTES));
            }
            assertThat(all.stream().map(StoredInstance::sopInstanceUid).distinct()).hasSize(threads * perThread + 1);
            assertThat(backend.statistics().totalInstances()).isEqualTo(threads * perThread + 1);
            for (StoredInstance s : all) {
                assertThat(sha256(backend.open(s.sopInstanceUid()))).isEqualTo(s.sha256());
            }
            assertThat(backend.verifyIntegrity().isClean()).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- bad input --------------------------------------------------------------------------------------

    @Test
    void badInputIsRefusedAndNothingIsHalfStored() throws Exception {
        for (Map.Entry<String, byte[]> bad : BadInputs.all().entrySet()) {
            Path f = tempDir.resolve("bad-input.dcm");
            Files.write(f, bad.getValue());
            assertInvalid(bad.getKey() + " (stream)", () -> backend.store(new ByteArrayInputStream(bad.getValue())));
            assertInvalid(bad.getKey() + " (file)", () -> backend.store(f));
        }
        assertInvalid("dataset without SOP UID", () -> backend.store(BadInputs.datasetWithSopUid(null)));
        assertInvalid("dataset with traversal UID", () -> backend.store(BadInputs.datasetWithSopUid("../../etc")));
        assertInvalid("missing file", () -> backend.store(tempDir.resolve("no-such-file.dcm")));
        assertInvalid("traversal UID key", () -> backend.open(SopInstanceUid.of("../../etc/passwd")));
        assertNothingStored(backend);
        // Hostile text in attribute values is data, never code or a path.
        String name = "Robert'); DROP TABLE instance;--^../../etc";
        DicomDataset h = SyntheticInstances.header();
        h.set(org.pacs.storage.dicom.Tag.PatientName, org.pacs.storage.dicom.VR.PN, name);
        StoredInstance s = backend.store(SyntheticInstances.dataset(h, 16, 1));
        DicomDataset q = new DicomDataset().set(org.pacs.storage.dicom.Tag.PatientName,
                org.pacs.storage.dicom.VR.PN, name);
        assertThat(backend.find(q)).hasSize(1);
        assertThat(backend.exists(s.sopInstanceUid())).isTrue();
    }

    /** Overridable when a backend can see more (e.g. FileStorage checks its directories are empty). */
    protected void assertNothingStored(StorageBackend b) {
        assertThat(b.list()).isEmpty();
        assertThat(b.statistics()).isEqualTo(StorageStatistics.EMPTY);
        IntegrityReport r = b.verifyIntegrity();
        assertThat(r.orphaned()).as("objects left behind by refused stores").isEmpty();
    }

    // ---- integrity --------------------------------------------------------------------------------------

    @Test
    void verifyIntegrityFindsCorruptAndMissingObjects() throws Exception {
        List<StoredInstance> s = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            s.add(backend.store(SyntheticInstances.dataset(SyntheticInstances.header(), 4096, i)));
        }
        IntegrityReport clean = backend.verifyIntegrity();
        assertThat(clean.isClean()).isTrue();
        assertThat(clean.checked()).isEqualTo(3);
        corruptStoredBytes(backend, s.get(0));
        deleteStoredBytes(backend, s.get(1));
        IntegrityReport r = backend.verifyIntegrity();
        assertThat(r.corrupt()).containsExactly(s.get(0).sopInstanceUid());
        assertThat(r.missing()).containsExactly(s.get(1).sopInstanceUid());
        assertThat(r.isClean()).isFalse();
        assertReason(() -> backend.open(s.get(1).sopInstanceUid()).close(), Reason.NOT_FOUND);
    }

    // ---- large instances --------------------------------------------------------------------------------

    @Test
    @Tag("large")
    void twoGibInstanceStreamsThroughAForkedJvmWithSmallHeap() throws Exception {
        Assumptions.assumeTrue(runLargeInstanceTest(), "large-instance test switched off (-Dpacs.test.large=false)");
        long need = largeInstancePixelBytes() + (256L << 20);
        Assumptions.assumeTrue(Files.getFileStore(tempDir).getUsableSpace() > 2 * need,
                "less than " + (2 * need >> 20) + " MiB free under " + tempDir);
        ForkedBackend fb = forkedBackend(tempDir.resolve("large"));
        List<String> args = new ArrayList<>(List.of(Long.toString(largeInstancePixelBytes()), fb.type()));
        fb.settings().forEach((k, v) -> args.add(k + "=" + v));
        ForkedJvm.Result r = ForkedJvm.run(LargeInstanceMain.class,
                List.of("-Xmx256m", "-Djava.io.tmpdir=" + tempDir), args, Duration.ofMinutes(10));
        assertThat(r.exitCode()).as(r.output()).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("OK bytes=(\\d+)").matcher(r.output());
        assertThat(m.find()).as(r.output()).isTrue();
        assertThat(Long.parseLong(m.group(1))).isGreaterThan(largeInstancePixelBytes());
        java.util.regex.Matcher heap = java.util.regex.Pattern.compile("maxHeap=(\\d+)").matcher(r.output());
        assertThat(heap.find()).as(r.output()).isTrue();
        assertThat(Long.parseLong(heap.group(1))).as("the child really ran with -Xmx256m").isLessThanOrEqualTo(256L << 20);
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    protected static String sha256(InputStream in) {
        try (InputStream i = in) {
            return Digests.sha256(i);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    protected static void assertReason(ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
    }

    private static void assertInvalid(String what, ThrowingCallable call) {
        assertThatThrownBy(call).as(what).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.reason()).as(what + ": " + e.getMessage()).isEqualTo(Reason.INVALID_INPUT);
            assertThat(e.getMessage()).as(what).isNotBlank();
        });
    }
}
