package org.pacs.storage.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;
import org.pacs.storage.testkit.azure.AzuriteServer;

/** Misconfigurations against a real Azurite: each a StorageException that locates itself and says what to check. */
class AzureErrorsTest {

    private static final String WRONG_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
    private static AzuriteServer azurite;

    @BeforeAll
    static void start() {
        azurite = AzuriteServer.start();
        blobs(AzureStorageConfig.builder("present", azurite.connectionString()).createContainer(true).build())
                .checkContainer(true);
    }

    @AfterAll
    static void stop() {
        azurite.close();
    }

    @Test
    void malformedConnectionStringIsInvalidInputWithoutEchoingTheKey() {
        assertThatThrownBy(() -> AzureConnection.open(AzureStorageConfig.builder("c1x", "AccountName=acct;AccountKey=not%base64").build()))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT))
                .hasMessageContaining("acct").hasMessageContaining("not Base64").hasMessageNotContaining("not%base64");
        assertThatThrownBy(() -> AzureConnection.open(AzureStorageConfig.builder("c1x", "just some words").build()))
                .hasMessageContaining("connection-string is malformed").hasMessageContaining("UseDevelopmentStorage=true");
        assertThatThrownBy(() -> AzureConnection.open(AzureStorageConfig.builder("c1x", "AccountName=a;AccountKey=" + WRONG_KEY
                        + ";DefaultEndpointsProtocol=ftp").build()))
                .hasMessageContaining("DefaultEndpointsProtocol");
    }

    @Test
    void wrongKeyIsPermissionDeniedNamingAccountAndContainer() {
        String cs = azurite.connectionString().replace(AzuriteServer.ACCOUNT_KEY, WRONG_KEY);
        AzureBlobs blobs = blobs(AzureStorageConfig.builder("present", cs).build());
        assertThatThrownBy(() -> blobs.checkContainer(false))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.PERMISSION_DENIED))
                .hasMessageContaining("devstoreaccount1").hasMessageContaining("'present'")
                .hasMessageContaining("403").hasMessageContaining("AccountKey");
        assertThat(blobs.reachable()).isFalse();
    }

    @Test
    void missingContainerSaysHowToCreateIt() {
        AzureBlobs blobs = blobs(AzureStorageConfig.builder("absent", azurite.connectionString()).build());
        assertThatThrownBy(() -> blobs.checkContainer(false))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
                .hasMessageContaining("'absent'").hasMessageContaining("devstoreaccount1")
                .hasMessageContaining("create-container");
        assertThatThrownBy(() -> blobs.openRange("1.2/3.4/5.6.dcm", 0, 10).read())
                .hasMessageContaining("container does not exist").hasMessageContaining("blob '1.2/3.4/5.6.dcm'");
    }

    @Test
    void missingBlobIsNotFound() {
        AzureBlobs blobs = blobs(AzureStorageConfig.builder("present", azurite.connectionString()).build());
        assertThatThrownBy(() -> blobs.open("1.2/3.4/5.6.dcm"))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND))
                .hasMessageContaining("1.2/3.4/5.6.dcm");
        assertThat(blobs.properties("1.2/3.4/5.6.dcm")).isEmpty();
    }

    @Test
    void unreachableEndpointIsUnavailableNamingTheEndpoint() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        String endpoint = "http://127.0.0.1:" + closedPort + "/devstoreaccount1";
        AzureBlobs blobs = blobs(AzureStorageConfig.builder("present", azurite.connectionString())
                .endpointUrl(endpoint).maxRetries(1).retryDelayMs(10).connectTimeoutMs(500).build());
        assertThatThrownBy(() -> blobs.checkContainer(false))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
                .hasMessageContaining(endpoint).hasMessageContaining("'present'")
                .hasMessageContaining("that the service (or Azurite) runs");
        assertThat(blobs.reachable()).isFalse();
    }

    static AzureBlobs blobs(AzureStorageConfig config) {
        return new AzureBlobs(AzureConnection.open(config),
                new BlockUploader(config.blockUploadThreshold(), config.blockSize(), config.maxConcurrency(),
                        Executors.newCachedThreadPool(r -> {
                            Thread t = new Thread(r);
                            t.setDaemon(true);
                            return t;
                        })), 1 << 20);
    }
}
