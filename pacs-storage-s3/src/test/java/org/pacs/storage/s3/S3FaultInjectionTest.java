package org.pacs.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.ArchivalBackend.RestorePriority;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.testkit.SyntheticInstances;
import org.pacs.storage.testkit.s3.S3TestServer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Responses no emulator gives, faked by {@link FaultProxy} in front of a real S3Mock; everything not named
 * here passes through to S3Mock. Faked, per test: a 403 InvalidObjectState for GET of a GLACIER object, the
 * 202 of RestoreObject and the x-amz-restore header on HEAD (both documented forms); 503 SlowDown; and a
 * 500 InternalError for one UploadPart. Damaged, not faked: one body byte flipped on its way to S3Mock, which
 * then judges the request itself.
 */
class S3FaultInjectionTest {

    static final long MIB = CloudStorageConfig.MIB;

    @TempDir
    Path tmp;

    FaultProxy proxy;
    CloudStorageConfig direct;
    S3Storage storage;
    S3Client raw;

    /** {@code config} points at S3Mock itself; the storage under test goes through the proxy. */
    void open(CloudStorageConfig config) throws Exception {
        S3TestServer server = Servers.s3mock();
        direct = config;
        proxy = new FaultProxy(server.endpoint());
        storage = new S3Storage(direct.withEndpointUrl(proxy.endpoint().toString()), tmp.resolve("spool"));
        raw = S3ClientFactory.create(direct);
    }

    CloudStorageConfig base(String bucket) {
        return Servers.configFor(Servers.s3mock(), bucket).withMultipart(6 * MIB, 5 * MIB).withMaxConnections(2);
    }

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
        if (raw != null) {
            raw.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    StoredInstance storeSmall() {
        return storage.store(SyntheticInstances.dataset(SyntheticInstances.header(), 4000, 5));
    }

    @Test
    void archivedObjectIsRefusedThenRestoredThroughTheDocumentedResponses() throws Exception {
        open(base("fault-archive").withStorageClass("GLACIER"));
        StoredInstance i = storeSmall();
        String path = "/" + direct.bucketName() + "/" + storage.keyOf(i);
        // S3Mock keeps and reports the GLACIER class itself; only the refusal and the restore are faked.
        assertThat(storage.storageClass(i.sopInstanceUid())).isEqualTo("GLACIER");
        assertThat(storage.restoreStatus(i.sopInstanceUid()).state()).isEqualTo(RestoreStatus.State.ARCHIVED);

        proxy.when(r -> r.method().equals("GET") && r.path().equals(path),
                FaultProxy.Fake.error(403, "InvalidObjectState", "The operation is not valid for the object's storage class"));
        assertThatThrownBy(() -> storage.retrieve(i.sopInstanceUid())).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.ARCHIVED);
            assertThat(e.getMessage()).contains(storage.keyOf(i)).contains(direct.bucketName()).contains("requestRestore");
        });

        proxy.when(r -> r.method().equals("POST") && r.path().equals(path) && r.hasQuery("restore"),
                FaultProxy.Fake.status(202));
        proxy.when(r -> r.method().equals("HEAD") && r.path().equals(path),
                FaultProxy.Fake.headWith(Map.of("x-amz-restore", "ongoing-request=\"true\"")));
        RestoreStatus asked = storage.requestRestore(i.sopInstanceUid(), 3, RestorePriority.BULK);
        assertThat(asked.state()).isEqualTo(RestoreStatus.State.IN_PROGRESS);
        FaultProxy.Request restore = proxy.faked().stream().filter(r -> r.method().equals("POST")).findFirst().orElseThrow();
        assertThat(restore.query()).contains("restore");

        proxy.clearRules();
        proxy.when(r -> r.method().equals("HEAD") && r.path().equals(path), FaultProxy.Fake.headWith(Map.of(
                "x-amz-restore", "ongoing-request=\"false\", expiry-date=\"Fri, 21 Dec 2012 00:00:00 GMT\"")));
        RestoreStatus done = storage.restoreStatus(i.sopInstanceUid());
        assertThat(done.state()).isEqualTo(RestoreStatus.State.RESTORED);
        assertThat(done.expiry()).contains(java.time.Instant.parse("2012-12-21T00:00:00Z"));
        assertThat(done.readable()).isTrue();
        // restored: the GET passes through to S3Mock again and the bytes are intact
        assertThat(S3StorageTest.sha(storage, i.sopInstanceUid())).isEqualTo(i.sha256());
        assertThat(storage.isArchiveClass("DEEP_ARCHIVE")).isTrue();
        assertThat(storage.isArchiveClass("GLACIER_IR")).isFalse();
    }

    @Test
    void archivedObjectsAreCataloguedFromTheirMetadataWhenACatalogIsRebuilt() throws Exception {
        open(base("fault-archive-rebuild").withStorageClass("GLACIER"));
        String study = org.pacs.storage.dicom.UidGenerator.newUid();
        java.util.List<StoredInstance> stored = new java.util.ArrayList<>();
        for (int n = 0; n < 3; n++) {
            org.pacs.storage.dicom.DicomDataset h = SyntheticInstances.header();
            h.setString(org.pacs.storage.dicom.Tag.StudyInstanceUID, study);
            stored.add(storage.store(SyntheticInstances.dataset(h, 3000, n)));
        }
        // S3 refuses every byte of a GLACIER object, header included (faked: S3Mock serves it)
        proxy.when(r -> r.method().equals("GET") && !r.hasQuery("list-type"),
                FaultProxy.Fake.error(403, "InvalidObjectState", "The operation is not valid for the object's storage class"));
        proxy.when(r -> r.method().equals("POST") && r.hasQuery("restore"), FaultProxy.Fake.status(202));
        // another process, or a lost catalog: a new catalog over the bucket is rebuilt at first use
        try (S3Storage reopened = new S3Storage(direct.withEndpointUrl(proxy.endpoint().toString()),
                tmp.resolve("fresh-spool"))) {
            assertThat(reopened.list()).as("archived, yet catalogued, never dropped")
                    .containsExactlyInAnyOrderElementsOf(stored);
            org.pacs.storage.dicom.DicomDataset q = new org.pacs.storage.dicom.DicomDataset();
            q.setString(org.pacs.storage.dicom.Tag.QueryRetrieveLevel, "IMAGE");
            q.setString(org.pacs.storage.dicom.Tag.StudyInstanceUID, study);
            assertThat(reopened.find(q)).hasSize(3);
            SopInstanceUid uid = stored.get(0).sopInstanceUid();
            assertThat(reopened.storageClass(uid)).isEqualTo("GLACIER");
            assertThat(reopened.restoreStatus(uid).state()).isEqualTo(RestoreStatus.State.ARCHIVED);
            assertThatThrownBy(() -> reopened.retrieve(uid)).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.ARCHIVED));
            reopened.requestRestore(uid, 2, RestorePriority.BULK);
            assertThat(proxy.faked()).as("a restore of a catalogued archived object can be asked for")
                    .anyMatch(r -> r.method().equals("POST") && r.hasQuery("restore"));
            // remove still deletes the billed object
            reopened.remove(uid);
            assertThat(raw.listObjectsV2(b -> b.bucket(direct.bucketName())).contents()).hasSize(2);
        }
    }

    @Test
    void throttlingSurfacesAfterTheSdkRetriesAndNamesWhatToDo() throws Exception {
        open(base("fault-throttle"));
        proxy.when(r -> r.method().equals("PUT"), FaultProxy.Fake.error(503, "SlowDown", "Please reduce your request rate."));
        StoredInstance[] holder = new StoredInstance[1];
        assertThatThrownBy(() -> holder[0] = storeSmall()).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
            assertThat(e.getMessage()).contains("throttled").contains(proxy.endpoint().toString())
                    .contains(direct.bucketName()).contains(".dcm").contains("max-connections");
        });
        // the SDK's standard retry mode makes 3 attempts; nothing of ours retries on top
        assertThat(proxy.faked()).hasSize(3);
        assertThat(storage.list()).isEmpty();
    }

    @Test
    void aFailedPartAbortsTheMultipartUploadAndLeavesNothing() throws Exception {
        open(base("fault-part"));
        proxy.when(r -> r.method().equals("PUT") && "2".equals(r.param("partNumber")),
                FaultProxy.Fake.error(500, "InternalError", "We encountered an internal error. Please try again."));
        Path file = tmp.resolve("big.dcm");
        SyntheticInstances.write(file, SyntheticInstances.header(), 16 * MIB, 9);
        assertThatThrownBy(() -> storage.store(file)).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
            assertThat(e.getMessage()).contains("UploadPart").contains(direct.bucketName());
        });
        assertThat(proxy.faked()).as("the SDK retried the part, then gave up").hasSize(3);
        assertThat(proxy.seen()).filteredOn(r -> r.hasQuery("partNumber")).isNotEmpty()
                .allSatisfy(S3FaultInjectionTest::assertPlainBodyWithCrc32Header);
        assertThat(proxy.seen()).anyMatch(r -> r.method().equals("DELETE") && r.hasQuery("uploadId"));
        assertThat(raw.listMultipartUploads(b -> b.bucket(direct.bucketName())).uploads()).isEmpty();
        assertThat(raw.listObjectsV2(b -> b.bucket(direct.bucketName())).contents()).isEmpty();
        assertThat(storage.list()).isEmpty();
        assertThat(storage.pendingAborts()).isZero();
    }

    @Test
    void multipartCompletionRefusalIsAbortedToo() throws Exception {
        open(base("fault-complete"));
        proxy.when(r -> r.method().equals("POST") && r.hasQuery("uploadId"),
                FaultProxy.Fake.error(400, "InvalidPart", "One or more of the specified parts could not be found."));
        Path file = tmp.resolve("big.dcm");
        SyntheticInstances.write(file, SyntheticInstances.header(), 12 * MIB, 11);
        assertThatThrownBy(() -> storage.store(file)).isInstanceOf(StorageException.class);
        assertThat(raw.listMultipartUploads(b -> b.bucket(direct.bucketName())).uploads()).isEmpty();
        assertThat(raw.listObjectsV2(b -> b.bucket(direct.bucketName())).contents()).isEmpty();
        assertThat(proxy.faked()).as("a 400 is final: no retry").hasSize(1);
    }

    @Test
    void aBodyDamagedInTransitIsRefusedByItsChecksumAndNothingIsLeft() throws Exception {
        open(base("fault-damage"));
        proxy.damageBodyWhen(r -> r.method().equals("PUT") && ("3".equals(r.param("partNumber"))
                || (!r.hasQuery("partNumber") && !r.path().endsWith("/fault-damage"))));
        Path big = tmp.resolve("big.dcm");
        SyntheticInstances.write(big, SyntheticInstances.header(), 16 * MIB, 13);
        Path small = tmp.resolve("small.dcm");
        SyntheticInstances.write(small, SyntheticInstances.header(), 100_000, 14);
        for (Path file : new Path[] {big, small}) {
            assertThatThrownBy(() -> storage.store(file)).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(Reason.CORRUPT));
        }
        assertThat(proxy.damaged()).as("part 3 and the single PUT, each refused at once: a 400 is final")
                .hasSize(2).allSatisfy(S3FaultInjectionTest::assertPlainBodyWithCrc32Header);
        assertThat(raw.listMultipartUploads(b -> b.bucket(direct.bucketName())).uploads()).isEmpty();
        assertThat(raw.listObjectsV2(b -> b.bucket(direct.bucketName())).contents()).isEmpty();
        assertThat(storage.list()).isEmpty();
    }

    /**
     * The checksum rides in a header over a plain body: aws-chunked framing costs the server a decode pass
     * (see S3ClientFactory), and the damage test above proves the header is what the server checks.
     */
    /** Parts carry their CRC32; a single PUT carries the instance's SHA-256, which the server keeps for verify. */
    static void assertPlainBodyWithCrc32Header(FaultProxy.Request r) {
        String sum = r.hasQuery("partNumber") ? S3StorageTest.header(r, "x-amz-checksum-crc32")
                : S3StorageTest.header(r, "x-amz-checksum-sha256");
        assertThat(sum).as("checksum header of " + r).isNotBlank();
        assertThat(S3StorageTest.header(r, "x-amz-trailer")).as("trailer of " + r).isNull();
        assertThat(String.valueOf(S3StorageTest.header(r, "content-encoding"))).doesNotContain("aws-chunked");
    }
}
