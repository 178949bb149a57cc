package org.pacs.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.StorageException;
import org.pacs.storage.spi.StorageBackendProvider;

/** Configuration, connection-string parsing, endpoint derivation and the provider; no server needed. */
class AzureStorageConfigTest {

    private static final String KEY = "c2VjcmV0LWtleS1ub3QtcmVhbA==";
    private static final String CS = "DefaultEndpointsProtocol=https;AccountName=hospital;AccountKey=" + KEY
            + ";EndpointSuffix=core.windows.net";

    @Test
    void specDefaults() {
        AzureStorageConfig c = AzureStorageConfig.builder("dicom-container", CS).build();
        assertThat(c.blockUploadThreshold()).isEqualTo(100L * 1024 * 1024);
        assertThat(c.blockSize()).isEqualTo(4L * 1024 * 1024);
        assertThat(c.maxConcurrency()).isEqualTo(8);
        assertThat(c.connectTimeoutMs()).isEqualTo(3000);
        assertThat(c.requestTimeoutMs()).isEqualTo(60000);
        assertThat(c.useHttps()).isTrue();
        assertThat(c.accessTier()).isEqualTo(AzureAccessTier.HOT);
        assertThat(c.maxRetries()).isEqualTo(3);
        assertThat(c.retryDelayMs()).isEqualTo(1000);
        assertThat(c.endpointSuffix()).isEmpty();
        assertThat(c.endpointUrl()).isEmpty();
        assertThat(c.blobPrefix()).isEmpty();
        assertThat(c.hashedLayout()).isFalse();
        assertThat(c.duplicatePolicy()).isEqualTo(DuplicatePolicy.IGNORE_IDENTICAL_REJECT_DIFFERENT);
        assertThat(c.toString()).doesNotContain(KEY).contains("AccountKey=***");
        assertThat(c.withAccessTier(AzureAccessTier.COOL).accessTier()).isEqualTo(AzureAccessTier.COOL);
    }

    @Test
    void retriesComeFromMaxRetriesAndRetryDelay() {
        var o = AzureConnection.retryOptions(AzureStorageConfig.builder("abc", CS).maxRetries(5).retryDelayMs(250).build());
        assertThat(o.getMaxTries()).isEqualTo(6);
        assertThat(o.getRetryDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(o.getTryTimeoutDuration()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void refusesBadValuesNamingTheKey() {
        assertThatThrownBy(() -> AzureStorageConfig.builder("Bad_Name", CS).build()).hasMessageContaining("container-name");
        assertThatThrownBy(() -> AzureStorageConfig.builder("abc", "").build()).hasMessageContaining("connection-string");
        assertThatThrownBy(() -> AzureStorageConfig.builder("abc", CS).blockSize(0).build()).hasMessageContaining("block-size");
        assertThatThrownBy(() -> AzureStorageConfig.builder("abc", CS).maxConcurrency(0).build()).hasMessageContaining("max-concurrency");
        assertThatThrownBy(() -> AzureStorageConfig.builder("abc", CS).blobPrefix("../x/").build()).hasMessageContaining("blob-prefix");
        assertThatThrownBy(() -> AzureStorageConfig.builder("abc", CS).endpointUrl("ftp://x").build()).hasMessageContaining("endpoint-url");
        assertThatThrownBy(() -> AzureAccessTier.parse("Glacier")).hasMessageContaining("Hot, Cool, Cold or Archive");
    }

    @Test
    void endpointsFromConnectionStringSuffixAndUrl() {
        ConnectionString cs = ConnectionString.parse(CS);
        assertThat(AzureConnection.endpoint(AzureStorageConfig.builder("abc", CS).build(), cs))
                .isEqualTo("https://hospital.blob.core.windows.net");
        assertThat(AzureConnection.endpoint(AzureStorageConfig.builder("abc", CS).endpointSuffix("core.chinacloudapi.cn")
                .build(), cs)).isEqualTo("https://hospital.blob.core.chinacloudapi.cn");
        String dev = "UseDevelopmentStorage=true";
        assertThat(AzureConnection.endpoint(AzureStorageConfig.builder("abc", dev).build(), ConnectionString.parse(dev)))
                .isEqualTo("http://127.0.0.1:10000/devstoreaccount1");
        assertThat(ConnectionString.parse(dev).accountName()).isEqualTo("devstoreaccount1");
        assertThat(AzureConnection.endpoint(AzureStorageConfig.builder("abc", CS)
                .endpointUrl("http://localhost:10000/devstoreaccount1/").build(), cs))
                .isEqualTo("http://localhost:10000/devstoreaccount1");
    }

    @Test
    void plainHttpToARemoteHostNeedsUseHttpsFalse() {
        ConnectionString cs = ConnectionString.parse(CS);
        AzureStorageConfig remote = AzureStorageConfig.builder("abc", CS).endpointUrl("http://storage.example.org/acct").build();
        assertThatThrownBy(() -> AzureConnection.endpoint(remote, cs))
                .isInstanceOf(StorageException.class).hasMessageContaining("use-https=false");
        assertThat(AzureConnection.endpoint(remote.toBuilder().useHttps(false).build(), cs))
                .isEqualTo("http://storage.example.org/acct");
    }

    @Test
    void providerIsFoundByTypeAndParsesKebabCaseSettings() {
        StorageBackendProvider p = StorageBackendProvider.forType("azure");
        assertThat(p).isInstanceOf(AzureBlobStorageProvider.class);
        assertThat(p.secretKeys()).containsExactly("connection-string");
        assertThat(p.settingKeys()).contains("container-name", "connection-string", "endpoint-suffix", "endpoint-url",
                "block-upload-threshold", "block-size", "max-concurrency", "connect-timeout-ms", "request-timeout-ms",
                "use-https", "access-tier", "max-retries", "retry-delay-ms", "blob-prefix", "hashed-layout",
                "duplicate-policy", "create-container", "spool-dir");
        Map<String, String> s = new HashMap<>(Map.of("container-name", "dicom", "connection-string", CS,
                "block-upload-threshold", "64MiB", "block-size", "8MiB", "request-timeout-ms", "2m",
                "access-tier", "cool", "hashed-layout", "true", "duplicate-policy", "reject", "max-retries", "0"));
        AzureStorageConfig c = ((AzureBlobStorageProvider) p).config(s);
        assertThat(c.blockUploadThreshold()).isEqualTo(64L << 20);
        assertThat(c.blockSize()).isEqualTo(8L << 20);
        assertThat(c.requestTimeoutMs()).isEqualTo(120_000);
        assertThat(c.accessTier()).isEqualTo(AzureAccessTier.COOL);
        assertThat(c.hashedLayout()).isTrue();
        assertThat(c.duplicatePolicy()).isEqualTo(DuplicatePolicy.REJECT);
        assertThat(c.maxRetries()).isZero();
        s.put("bucket", "x");
        assertThatThrownBy(() -> p.create(s)).hasMessageContaining("bucket").hasMessageContaining("container-name");
        assertThatThrownBy(() -> ((AzureBlobStorageProvider) p).config(Map.of("container-name", "dicom")))
                .hasMessageContaining("connection-string");
        assertThatThrownBy(() -> ((AzureBlobStorageProvider) p).config(Map.of("container-name", "dicom",
                "connection-string", CS, "block-size", "lots"))).hasMessageContaining("block-size");
    }

    @Test
    void blobNamesAndTheirParse() {
        BlobNaming plain = new BlobNaming("p/", false);
        var sop = org.pacs.storage.SopInstanceUid.of("1.2.3");
        assertThat(plain.blobName("1.2", "1.2.5", sop)).isEqualTo("p/1.2/1.2.5/1.2.3.dcm");
        assertThat(plain.parse("p/1.2/1.2.5/1.2.3.dcm")).contains(new BlobNaming.Parsed("1.2", "1.2.5", sop));
        assertThat(plain.parse("p/1.2/1.2.5/readme.txt")).isEmpty();
        BlobNaming hashed = new BlobNaming("", true);
        String name = hashed.blobName("1.2", "1.2.5", sop);
        assertThat(name).matches("[0-9a-f]{4}/1\\.2/1\\.2\\.5/1\\.2\\.3\\.dcm");
        assertThat(hashed.parse(name)).isPresent();
        assertThat(hashed.parse("0000/1.2/1.2.5/1.2.3.dcm")).as("wrong hash").isEqualTo(
                name.startsWith("0000/") ? hashed.parse(name) : java.util.Optional.empty());
        assertThat(hashed.seriesPrefix("1.2", "1.2.5")).isEqualTo(name.substring(0, name.lastIndexOf('/') + 1));
    }
}
