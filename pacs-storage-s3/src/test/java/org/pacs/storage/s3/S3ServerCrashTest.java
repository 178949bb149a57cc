package org.pacs.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.testkit.SyntheticInstances;
import org.pacs.storage.testkit.s3.S3ProxyServer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The server dies (SIGKILL) in the middle of a multipart upload. Runs on its own S3Proxy because S3Proxy
 * keeps incomplete multipart uploads on disk across a restart, so a leftover upload would really show.
 */
class S3ServerCrashTest {

    static final long MIB = CloudStorageConfig.MIB;

    @TempDir
    Path tmp;

    @Test
    void serverKilledMidUploadLeavesNoObjectAndNoUpload() {
        try (S3ProxyServer server = S3ProxyServer.start(Servers.tempDir("s3proxy-crash"))) {
            CloudStorageConfig c = Servers.configFor(server, "crash").withMultipart(6 * MIB, 5 * MIB)
                    .withMaxConnections(1).withTimeouts(500, 5000);
            Path file = tmp.resolve("big.dcm");
            DicomDataset header = SyntheticInstances.header();
            SyntheticInstances.write(file, header, 40 * MIB, 13);
            String key = c.keyLayout().keyFor(header.getString(Tag.StudyInstanceUID).orElseThrow(),
                    header.getString(Tag.SeriesInstanceUID).orElseThrow(),
                    SopInstanceUid.of(header.getString(Tag.SOPInstanceUID).orElseThrow()));
            AtomicBoolean killed = new AtomicBoolean();
            try (S3Storage s = new S3Storage(c, tmp.resolve("spool")); S3Client raw = S3ClientFactory.create(c)) {
                // killed from the progress callback once the first part is in: the upload is mid-way for sure
                assertThatThrownBy(() -> s.storeWithProgress(file, (done, total) -> {
                    if (done > 0 && done < total && killed.compareAndSet(false, true)) {
                        server.kill();
                    }
                })).isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
                    assertThat(e.getMessage()).contains(server.endpoint().toString()).contains("s3://crash/" + key)
                            .contains("check");
                });
                assertThat(killed).isTrue();
                assertThat(s.list()).isEmpty();
                assertThat(s.pendingAborts()).as("the abort could not reach a dead server").isEqualTo(1);

                server.restart();
                assertThat(raw.listMultipartUploads(b -> b.bucket("crash")).uploads())
                        .as("the interrupted upload survives the restart on disk").hasSize(1);
                // the next connectivity check finishes the abort the crash prevented
                assertThat(s.isConnected()).isTrue();
                assertThat(s.pendingAborts()).isZero();
                assertThat(raw.listMultipartUploads(b -> b.bucket("crash")).uploads()).isEmpty();
                assertThat(raw.listObjectsV2(b -> b.bucket("crash")).contents()).isEmpty();
                assertThatThrownBy(() -> raw.headObject(b -> b.bucket("crash").key(key)))
                        .isInstanceOf(NoSuchKeyException.class);
                // and the storage works again
                assertThat(s.store(file).sizeBytes()).isGreaterThan(40 * MIB);
            }
        }
    }
}
