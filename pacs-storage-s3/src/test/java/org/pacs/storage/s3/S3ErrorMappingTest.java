package org.pacs.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.testkit.FreePorts;
import org.pacs.storage.testkit.SyntheticInstances;
import org.pacs.storage.testkit.s3.S3TestServer;

/**
 * Real failures from real servers: a port nobody listens on, S3Proxy refusing a wrong secret (it checks
 * signatures), and a bucket that does not exist. Each message must name endpoint, bucket and key and say
 * what to check.
 */
class S3ErrorMappingTest {

    @TempDir
    Path tmp;

    static DicomDataset instance() {
        return SyntheticInstances.dataset(SyntheticInstances.header(), 100, 1);
    }

    void assertStoreFails(CloudStorageConfig c, Reason reason, String... hints) {
        try (S3Storage s = new S3Storage(c, tmp.resolve("spool"))) {
            DicomDataset d = instance();
            String sop = d.getString(org.pacs.storage.dicom.Tag.SOPInstanceUID).orElseThrow();
            assertThatThrownBy(() -> s.store(d)).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
                assertThat(e.getMessage()).contains(c.endpointUrl()).contains("s3://" + c.bucketName() + "/")
                        .contains(sop + ".dcm").contains(hints);
            });
            assertThat(s.list()).isEmpty();
            assertThat(s.isConnected()).isFalse();
            assertThatThrownBy(s::checkConnection).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.reason()).isEqualTo(reason));
        }
    }

    @Test
    void unreachableEndpoint() {
        CloudStorageConfig c = CloudStorageConfig.forBucket("nowhere")
                .withEndpointUrl("http://127.0.0.1:" + FreePorts.find()).withCredentials("a", "b")
                .withTimeouts(500, 2000);
        assertStoreFails(c, Reason.UNAVAILABLE, "cannot connect", "endpoint-url");
    }

    @Test
    void wrongSecretIsRefusedByS3Proxy() {
        S3TestServer proxy = Servers.s3proxy();
        CloudStorageConfig c = Servers.configFor(proxy, "errors-keys").withCredentials(proxy.accessKey(), "wrong-secret");
        assertStoreFails(c, Reason.PERMISSION_DENIED, "HTTP 403", "access-key-id", "secret-access-key");
    }

    @Test
    void unknownAccessKeyIsRefusedByS3Proxy() {
        S3TestServer proxy = Servers.s3proxy();
        CloudStorageConfig c = Servers.configFor(proxy, "errors-keyid").withCredentials("nobody", proxy.secretKey());
        assertStoreFails(c, Reason.PERMISSION_DENIED, "HTTP 403", "access-key-id");
    }

    @Test
    void missingBucketOnBothServers() {
        for (S3TestServer server : new S3TestServer[] {Servers.s3mock(), Servers.s3proxy()}) {
            CloudStorageConfig c = CloudStorageConfig.forBucket("no-such-bucket-here")
                    .withEndpointUrl(server.endpoint().toString())
                    .withCredentials(server.accessKey(), server.secretKey());
            assertStoreFails(c, Reason.INVALID_INPUT, "does not exist", "bucket-name");
        }
    }
}
