package org.pacs.storage.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.blob.Digests;
import org.pacs.storage.catalog.InstanceCatalog;
import org.pacs.storage.catalog.JdbcInstanceCatalog;

/**
 * A read whose access-time flush fails still returns its bytes: the flush runs on its own thread and its failure
 * is logged, never thrown at the reader. The failing flush is injected (a proxy refusing recordAccess over a real
 * SQLite catalog): a real database cannot be made to refuse that one statement while serving the reads.
 */
class AccessTrackingNeverFailsAReadTest {

    @TempDir
    Path dir;

    @Test
    void aFailingAccessFlushNeitherFailsNorBlocksAReadAndLeaksNoStream() throws Exception {
        AtomicInteger refused = new AtomicInteger();
        InstanceCatalog real = JdbcInstanceCatalog.sqlite(dir.resolve("catalog.db"));
        InstanceCatalog failingFlush = (InstanceCatalog) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {InstanceCatalog.class}, (proxy, m, args) -> {
                    if (m.getName().equals("recordAccess")) {
                        refused.incrementAndGet();
                        throw StorageException.unavailable("the catalog refused the access times (injected)", null);
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        java.util.Map<StorageTier, org.pacs.storage.blob.BlobStore> tiers = new java.util.EnumMap<>(StorageTier.class);
        tiers.put(StorageTier.HOT, new org.pacs.storage.file.FileBlobStore(
                org.pacs.storage.file.FileStorageConfig.of(dir.resolve("hot")).withFsync(false)));
        try (HsmStorage hsm = new HsmStorage(tiers, failingFlush, HsmStorageConfig.defaults()
                .withNodeId("access-test").withAccessFlush(1, Duration.ofHours(1)))) {
            String study = org.pacs.storage.dicom.UidGenerator.newUid();
            String series = org.pacs.storage.dicom.UidGenerator.newUid();
            List<SopInstanceUid> uids = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                uids.add(hsm.store(HsmTestBed.instance(study, series, i)).sopInstanceUid());
            }
            for (int round = 0; round < 20; round++) {
                for (SopInstanceUid u : uids) {
                    try (InputStream in = hsm.open(u)) {
                        assertThat(Digests.sha256(in)).isEqualTo(hsm.describe(u).orElseThrow().sha256());
                    }
                }
            }
            // every read filled the batch of one, so flushes were tried (on the flush thread) and refused
            await().atMost(Duration.ofSeconds(10)).until(() -> refused.get() > 0);
            assertThat(hsm.catalog().get(uids.get(0)).orElseThrow().lastAccess()).isEmpty();
        }
    }
}
