package org.pacs.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.ArchivalBackend.RestorePriority;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.testkit.SyntheticInstances;

/**
 * The archive features S3Proxy (jclouds filesystem) lacks, asserted as known differences so a change in
 * either S3Proxy or our mapping shows up: it keeps the class given at upload, but refuses a CopyObject onto
 * itself (400 InvalidRequest) and has no RestoreObject (501 NotImplemented). Both surface as UNSUPPORTED
 * with a message saying so. The features themselves are tested on S3Mock (S3StorageTest,
 * S3FaultInjectionTest).
 */
class S3ProxyDifferencesTest {

    @TempDir
    Path tmp;

    @Test
    void keepsTheUploadClassButCannotChangeItInPlace() {
        CloudStorageConfig c = Servers.configFor(Servers.s3proxy(), "differences-class").withStorageClass("STANDARD_IA");
        try (S3Storage s = new S3Storage(c, tmp.resolve("spool"))) {
            StoredInstance i = s.store(SyntheticInstances.dataset(SyntheticInstances.header(), 100, 1));
            assertThat(s.storageClass(i.sopInstanceUid())).isEqualTo("STANDARD_IA");
            assertThatThrownBy(() -> s.changeStorageClass(i.sopInstanceUid(), "GLACIER_IR"))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED);
                        assertThat(e.getMessage()).contains("InvalidRequest").contains("in place")
                                .contains(s.keyOf(i));
                    });
            assertThat(s.storageClass(i.sopInstanceUid())).isEqualTo("STANDARD_IA");
            assertThat(s.verifyIntegrity().isClean()).isTrue();
        }
    }

    @Test
    void hasNoRestoreObject() {
        CloudStorageConfig c = Servers.configFor(Servers.s3proxy(), "differences-restore").withStorageClass("GLACIER");
        try (S3Storage s = new S3Storage(c, tmp.resolve("spool"))) {
            StoredInstance i = s.store(SyntheticInstances.dataset(SyntheticInstances.header(), 100, 1));
            assertThat(s.restoreStatus(i.sopInstanceUid()).state()).isEqualTo(RestoreStatus.State.ARCHIVED);
            assertThatThrownBy(() -> s.requestRestore(i.sopInstanceUid(), 1, RestorePriority.BULK))
                    .isInstanceOfSatisfying(StorageException.class, e -> {
                        assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED);
                        assertThat(e.getMessage()).contains("NotImplemented").contains("RestoreObject");
                    });
        }
    }
}
