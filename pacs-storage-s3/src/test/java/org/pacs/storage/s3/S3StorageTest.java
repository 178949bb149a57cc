package org.pacs.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.index.InstanceMetadata;
import org.pacs.storage.testkit.SyntheticInstances;
import org.pacs.storage.testkit.s3.S3TestServer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** S3-specific behaviour against S3Mock: keys, metadata, rebuild, progress, encryption, storage classes. */
class S3StorageTest {

    static final long MIB = CloudStorageConfig.MIB;

    @TempDir
    Path tmp;

    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    static S3TestServer server() {
        return Servers.s3mock();
    }

    CloudStorageConfig config(String bucket) {
        return Servers.configFor(server(), bucket).withMultipart(6 * MIB, 5 * MIB).withMaxConnections(3);
    }

    S3Storage storage(CloudStorageConfig c) {
        S3Storage s = new S3Storage(c, tmp.resolve("spool"));
        closeables.add(s);
        return s;
    }

    S3Storage track(S3Storage s) {
        closeables.add(s);
        return s;
    }

    S3Client raw(CloudStorageConfig c) {
        S3Client s3 = S3ClientFactory.create(c);
        closeables.add(s3);
        return s3;
    }

    static DicomDataset instance(String study, String series, int pixelBytes) {
        return SyntheticInstances.dataset(SyntheticInstances.header("P1", "Doe^Jane", study, series,
                UidGenerator.newUid(), "CT", "20240102"), pixelBytes, 7);
    }

    @Test
    void hierarchicalKeysUnderPrefixCarryUidsShaAndTransferSyntaxInMetadata() {
        CloudStorageConfig c = config("features-keys").withKeyPrefix("archive/a");
        S3Storage s = storage(c);
        String study = UidGenerator.newUid();
        String series = UidGenerator.newUid();
        StoredInstance i = s.store(instance(study, series, 1000));
        String key = "archive/a/" + study + "/" + series + "/" + i.sopInstanceUid() + ".dcm";
        HeadObjectResponse h = raw(c).headObject(b -> b.bucket(c.bucketName()).key(key));
        assertThat(h.metadata()).containsEntry(InstanceMetadata.STUDY, study).containsEntry(InstanceMetadata.SERIES, series)
                .containsEntry(InstanceMetadata.SOP, i.sopInstanceUid().value()).containsEntry(InstanceMetadata.SHA256, i.sha256())
                .containsEntry(InstanceMetadata.TRANSFER_SYNTAX, i.transferSyntaxUid());
        assertThat(h.contentLength()).isEqualTo(i.sizeBytes());
    }

    @Test
    void hashedLayoutKeepsUidsOutOfObjectNamesAndStillRebuilds() {
        CloudStorageConfig c = config("features-hashed").withLayout(KeyLayout.Kind.HASHED);
        S3Storage s = storage(c);
        StoredInstance i = s.store(instance(UidGenerator.newUid(), UidGenerator.newUid(), 1000));
        List<String> keys = raw(c).listObjectsV2(b -> b.bucket(c.bucketName())).contents().stream()
                .map(o -> o.key()).toList();
        assertThat(keys).hasSize(1);
        assertThat(keys.get(0)).matches("[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}\\.dcm")
                .doesNotContain(i.sopInstanceUid().value()).doesNotContain(i.studyInstanceUid());
        // another process with a catalog of its own: created over a full bucket, it is rebuilt from metadata
        S3Storage reopened = track(new S3Storage(c, tmp.resolve("other-spool")));
        assertThat(reopened.rebuildIndex().alreadyCatalogued()).isEqualTo(1);
        assertThat(reopened.describe(i.sopInstanceUid())).contains(i);
        assertThat(sha(reopened, i.sopInstanceUid())).isEqualTo(i.sha256());
    }

    @Test
    void rebuildIndexRestoresQueriesAndSkipsForeignObjects() throws Exception {
        CloudStorageConfig c = config("features-rebuild");
        S3Storage s = storage(c);
        String study = UidGenerator.newUid();
        List<StoredInstance> stored = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            stored.add(s.store(instance(study, UidGenerator.newUid(), 20_000 + 2 * n)));
        }
        raw(c).putObject(b -> b.bucket(c.bucketName()).key("notes/readme.txt"),
                software.amazon.awssdk.core.sync.RequestBody.fromString("not DICOM"));

        // the rebuild goes through a pass-through proxy only to see on the wire that no GET fetches pixel data
        FaultProxy wire = new FaultProxy(server().endpoint());
        closeables.add(wire);
        // a new catalog over the full bucket (another process, or a lost catalog) is rebuilt at its first use
        S3Storage reopened = track(new S3Storage(c.withEndpointUrl(wire.endpoint().toString()),
                tmp.resolve("fresh-spool")));
        assertThat(reopened.list()).hasSize(5);
        org.pacs.storage.hsm.CatalogRebuilder.Result r = reopened.rebuildIndex();
        assertThat(r.alreadyCatalogued()).isEqualTo(5);
        assertThat(r.added()).isZero();
        List<FaultProxy.Request> gets = wire.seen().stream().filter(g -> g.method().equals("GET")
                && !g.hasQuery("list-type")).toList();
        assertThat(gets).hasSize(5).allSatisfy(g -> {
            String range = header(g, "Range");
            assertThat(range).startsWith("bytes=0-");
            long lastByte = Long.parseLong(range.substring("bytes=0-".length()));
            long size = stored.get(0).sizeBytes();
            assertThat(lastByte).as("header bytes only, not the 20 kB of pixels").isLessThan(size - 19_000);
        });
        assertThat(reopened.list()).containsExactlyInAnyOrderElementsOf(stored);
        DicomDataset q = new DicomDataset();
        q.setString(Tag.QueryRetrieveLevel, "SERIES");
        q.setString(Tag.StudyInstanceUID, study);
        q.setString(Tag.PatientName, "Doe^Jane");
        assertThat(reopened.find(q)).hasSize(5);
        assertThat(reopened.statistics().totalInstances()).isEqualTo(5);
        assertThat(reopened.verifyIntegrity().orphaned()).containsExactly("hot:notes/readme.txt");
    }

    @Test
    void progressIsReportedAtLeastOncePerPartBothWays() {
        CloudStorageConfig c = config("features-progress");
        S3Storage s = storage(c);
        Path file = tmp.resolve("big.dcm");
        long size = SyntheticInstances.write(file, SyntheticInstances.header(), 13 * MIB, 3);
        List<long[]> up = new CopyOnWriteArrayList<>();
        StoredInstance i = s.storeWithProgress(file, (done, total) -> up.add(new long[] {done, total}));
        long parts = (size + 5 * MIB - 1) / (5 * MIB);
        assertThat(up).hasSizeGreaterThanOrEqualTo((int) parts);
        assertThat(up).allSatisfy(p -> assertThat(p[1]).isEqualTo(size));
        assertThat(up.stream().mapToLong(p -> p[0]).max().orElseThrow()).isEqualTo(size);

        List<long[]> down = new CopyOnWriteArrayList<>();
        DicomDataset d = s.retrieveWithProgress(i.sopInstanceUid(), (done, total) -> down.add(new long[] {done, total}));
        assertThat(d.getString(Tag.SOPInstanceUID)).contains(i.sopInstanceUid().value());
        assertThat(down).hasSizeGreaterThanOrEqualTo((int) parts);
        assertThat(down.get(down.size() - 1)).containsExactly(size, size);
        assertThat(raw(c).listMultipartUploads(b -> b.bucket(c.bucketName())).uploads()).isEmpty();
    }

    /**
     * S3Mock keeps the storage class but does not echo SSE-S3 on HEAD, so the encryption header is checked
     * on the wire, through {@link FaultProxy} passing every request through untouched.
     */
    @Test
    void encryptionAndStorageClassAreSentAndReported() throws Exception {
        CloudStorageConfig direct = config("features-sse");
        try (FaultProxy wire = new FaultProxy(server().endpoint())) {
            CloudStorageConfig c = direct.withEndpointUrl(wire.endpoint().toString()).withEncryption(true)
                    .withStorageClass("STANDARD_IA");
            S3Storage s = storage(c);
            StoredInstance small = s.store(instance(UidGenerator.newUid(), UidGenerator.newUid(), 1000));
            StoredInstance big = s.store(instance(UidGenerator.newUid(), UidGenerator.newUid(), (int) (7 * MIB)));
            List<FaultProxy.Request> creates = wire.seen().stream().filter(r -> r.method().equals("PUT")
                    && !r.hasQuery("partNumber") || r.method().equals("POST") && r.hasQuery("uploads")).toList();
            assertThat(creates).as("one PutObject and one CreateMultipartUpload").hasSize(2)
                    .allSatisfy(r -> assertThat(header(r, "x-amz-server-side-encryption")).isEqualTo("AES256"))
                    .allSatisfy(r -> assertThat(header(r, "x-amz-storage-class")).isEqualTo("STANDARD_IA"));
            for (StoredInstance i : List.of(small, big)) {
                assertThat(s.storageClass(i.sopInstanceUid())).isEqualTo("STANDARD_IA");
            }
        }
    }

    static String header(FaultProxy.Request r, String name) {
        return r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }

    @Test
    void storageClassChangesInPlaceForInstanceSeriesAndStudy() {
        CloudStorageConfig c = config("features-class");
        S3Storage s = storage(c);
        String study = UidGenerator.newUid();
        String seriesA = UidGenerator.newUid();
        StoredInstance a1 = s.store(instance(study, seriesA, 1000));
        StoredInstance a2 = s.store(instance(study, seriesA, 1002));
        StoredInstance b1 = s.store(instance(study, UidGenerator.newUid(), 1004));
        assertThat(s.storageClass(a1.sopInstanceUid())).isEqualTo("STANDARD");

        s.changeStorageClass(a1.sopInstanceUid(), "glacier_ir");
        assertThat(s.storageClass(a1.sopInstanceUid())).isEqualTo("GLACIER_IR");
        assertThat(s.storageClass(a2.sopInstanceUid())).isEqualTo("STANDARD");

        assertThat(s.changeSeriesStorageClass(seriesA, "STANDARD_IA")).isEqualTo(2);
        assertThat(s.storageClass(a2.sopInstanceUid())).isEqualTo("STANDARD_IA");
        assertThat(s.storageClass(b1.sopInstanceUid())).isEqualTo("STANDARD");

        assertThat(s.changeStudyStorageClass(study, "INTELLIGENT_TIERING")).isEqualTo(3);
        for (StoredInstance i : List.of(a1, a2, b1)) {
            assertThat(s.storageClass(i.sopInstanceUid())).isEqualTo("INTELLIGENT_TIERING");
            // in place: same bytes, same metadata, so the index and integrity check still agree
            assertThat(sha(s, i.sopInstanceUid())).isEqualTo(i.sha256());
        }
        assertThat(s.verifyIntegrity().isClean()).isTrue();
        assertThat(s.restoreStatus(a1.sopInstanceUid()).state()).isEqualTo(RestoreStatus.State.NOT_ARCHIVED);
    }

    @Test
    void isConnectedAgainstRunningServerAndClosedPort() {
        CloudStorageConfig c = config("features-connected");
        assertThat(storage(c).isConnected()).isTrue();
        CloudStorageConfig dead = c.withEndpointUrl("http://127.0.0.1:" + org.pacs.storage.testkit.FreePorts.find())
                .withTimeouts(500, 2000);
        assertThat(storage(dead).isConnected()).isFalse();
    }

    static String sha(S3Storage s, SopInstanceUid uid) {
        try (var in = s.open(uid)) {
            return org.pacs.storage.blob.Digests.sha256(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
