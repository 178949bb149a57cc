package org.pacs.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;
import org.pacs.storage.spi.StorageBackendProvider;

/** Spec §3.1.1 defaults, validation, the provider's settings, and the two key layouts. */
class S3ConfigurationTest {

    static final long MIB = CloudStorageConfig.MIB;

    @Test
    void specDefaults() {
        CloudStorageConfig c = CloudStorageConfig.forBucket("dicom-archive");
        assertThat(c.region()).isEqualTo("us-east-1");
        assertThat(c.accessKeyId()).isEmpty();
        assertThat(c.hasStaticKeys()).isFalse();
        assertThat(c.endpoint()).isEmpty();
        assertThat(c.multipartThreshold()).isEqualTo(100 * MIB);
        assertThat(c.partSize()).isEqualTo(10 * MIB);
        assertThat(c.maxConnections()).isEqualTo(25);
        assertThat(c.connectTimeoutMs()).isEqualTo(3000);
        assertThat(c.requestTimeoutMs()).isEqualTo(30000);
        assertThat(c.enableEncryption()).isFalse();
        assertThat(c.storageClass()).isEqualTo("STANDARD");
        assertThat(c.keyPrefix()).isEmpty();
        assertThat(c.layout()).isEqualTo(KeyLayout.Kind.HIERARCHICAL);
        assertThat(c.duplicatePolicy()).isEqualTo(DuplicatePolicy.IGNORE_IDENTICAL_REJECT_DIFFERENT);
    }

    @Test
    void badValuesAreRefusedWithWhatToDo() {
        CloudStorageConfig c = CloudStorageConfig.forBucket("ok-bucket");
        assertInvalid(() -> CloudStorageConfig.forBucket("Bad_Bucket"), "bucket-name");
        assertInvalid(() -> c.withCredentials("key", ""), "both left empty");
        assertInvalid(() -> c.withEndpointUrl("ftp://x"), "http://");
        assertInvalid(() -> c.withMultipart(100 * MIB, MIB), "5MiB");
        assertInvalid(() -> c.withMaxConnections(0), "1 to 1000");
        assertInvalid(() -> c.withTimeouts(0, 1), "positive");
        assertInvalid(() -> c.withStorageClass("COLD"), "DEEP_ARCHIVE");
        assertInvalid(() -> c.withKeyPrefix("a/../b"), "'..'");
    }

    @Test
    void secretNeverPrinted() {
        CloudStorageConfig c = CloudStorageConfig.forBucket("b-1").withCredentials("AKIA1", "s3cr3t-value");
        assertThat(c.toString()).contains("AKIA1").doesNotContain("s3cr3t-value");
    }

    @Test
    void providerIsFoundAndParsesKebabCaseSettings() {
        StorageBackendProvider p = StorageBackendProvider.forType("s3");
        assertThat(p).isInstanceOf(S3StorageProvider.class);
        assertThat(p.settingKeys()).contains("bucket-name", "region", "access-key-id", "secret-access-key",
                "endpoint-url", "multipart-threshold", "part-size", "max-connections", "connect-timeout-ms",
                "request-timeout-ms", "enable-encryption", "storage-class", "key-prefix", "layout", "duplicate-policy");
        assertThat(p.secretKeys()).containsExactly("secret-access-key");
        Map<String, String> s = new HashMap<>();
        s.put("bucket-name", "dicom-test");
        s.put("endpoint-url", "http://127.0.0.1:9000");
        s.put("access-key-id", "minioadmin");
        s.put("secret-access-key", "minioadmin");
        s.put("multipart-threshold", "64MiB");
        s.put("part-size", "8MiB");
        s.put("max-connections", "8");
        s.put("connect-timeout-ms", "2s");
        s.put("request-timeout-ms", "45000");
        s.put("enable-encryption", "true");
        s.put("storage-class", "intelligent-tiering");
        s.put("key-prefix", "pacs");
        s.put("layout", "hashed");
        s.put("duplicate-policy", "reject");
        CloudStorageConfig c = ((S3StorageProvider) p).config(s);
        assertThat(c.multipartThreshold()).isEqualTo(64 * MIB);
        assertThat(c.partSize()).isEqualTo(8 * MIB);
        assertThat(c.maxConnections()).isEqualTo(8);
        assertThat(c.connectTimeoutMs()).isEqualTo(2000);
        assertThat(c.requestTimeoutMs()).isEqualTo(45000);
        assertThat(c.enableEncryption()).isTrue();
        assertThat(c.storageClass()).isEqualTo("INTELLIGENT_TIERING");
        assertThat(c.keyPrefix()).isEqualTo("pacs/");
        assertThat(c.layout()).isEqualTo(KeyLayout.Kind.HASHED);
        assertThat(c.duplicatePolicy()).isEqualTo(DuplicatePolicy.REJECT);

        s.put("part-sise", "8MiB");
        assertInvalid(() -> ((S3StorageProvider) p).config(s), "part-size");
        s.remove("part-sise");
        s.put("max-connections", "many");
        assertInvalid(() -> ((S3StorageProvider) p).config(s), "max-connections");
        s.put("max-connections", "8");
        s.put("part-size", "8 parsecs");
        assertInvalid(() -> ((S3StorageProvider) p).config(s), "part-size");
    }

    @Test
    void keyLayouts() {
        SopInstanceUid sop = SopInstanceUid.of("1.2.3.4");
        KeyLayout plain = new KeyLayout("", KeyLayout.Kind.HIERARCHICAL);
        assertThat(plain.keyFor("1.2", "1.2.3", sop)).isEqualTo("1.2/1.2.3/1.2.3.4.dcm");
        assertThat(plain.isInstanceKey("1.2/1.2.3/1.2.3.4.dcm")).isTrue();
        assertThat(plain.isInstanceKey("notes/readme.txt")).isFalse();
        KeyLayout prefixed = new KeyLayout("/pacs/a", KeyLayout.Kind.HIERARCHICAL);
        assertThat(prefixed.keyFor("1.2", "1.2.3", sop)).isEqualTo("pacs/a/1.2/1.2.3/1.2.3.4.dcm");
        assertThat(prefixed.isInstanceKey("1.2/1.2.3/1.2.3.4.dcm")).isFalse();
        KeyLayout hashed = new KeyLayout("p/", KeyLayout.Kind.HASHED);
        String k = hashed.keyFor("1.2", "1.2.3", sop);
        assertThat(k).matches("p/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}\\.dcm").doesNotContain("1.2.3.4");
        assertThat(hashed.keyFor("9.9", "9.9.9", sop)).as("depends on the SOP UID only").isEqualTo(k);
        assertThat(hashed.isInstanceKey(k)).isTrue();
    }

    @Test
    void partSizeGrowsToStayWithinTenThousandParts() {
        CloudStorageConfig c = CloudStorageConfig.forBucket("b-1").withMultipart(100 * MIB, 5 * MIB);
        Uploader u = new Uploader(null, c, null, null, null);
        assertThat(u.partSizeFor(100 * MIB)).isEqualTo(5 * MIB);
        long huge = 60L * 1024 * MIB;
        assertThat((huge + u.partSizeFor(huge) - 1) / u.partSizeFor(huge)).isLessThanOrEqualTo(10_000);
    }

    static void assertInvalid(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String hint) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT);
            assertThat(e.getMessage()).contains(hint);
        });
    }
}
