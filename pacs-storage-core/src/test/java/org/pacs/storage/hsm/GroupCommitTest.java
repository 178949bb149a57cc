package org.pacs.storage.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.file.FileBlobStore;
import org.pacs.storage.file.FileStorageConfig;

/**
 * Group commit on real parts (file tier with fsync, SQLite): stores that arrive while a catalog transaction is
 * under way share the next one, and none returns before its own row is committed. The first transaction is held
 * at the {@code group-commit} fault hook (a slow commit on demand, which a real database cannot be made to give)
 * until eight more stores have been synced behind it.
 */
class GroupCommitTest {

    @TempDir
    Path dir;

    @Test
    void storesArrivingDuringACommitShareTheNextTransactionAndReturnOnlyOnceCommitted() throws Exception {
        CountDownLatch firstHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        FaultHook hold = step -> {
            if (step.equals("group-commit") && first.getAndSet(false)) {
                firstHeld.countDown();
                try {
                    release.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(9);
        String study = UidGenerator.newUid();
        String series = UidGenerator.newUid();
        try (HsmStorage hsm = open(hold)) {
            Future<StoredInstance> lone = pool.submit(() -> hsm.store(HsmTestBed.instance(study, series, 0)));
            assertThat(firstHeld.await(1, TimeUnit.MINUTES)).isTrue();
            List<Future<StoredInstance>> eight = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                int n = i;
                eight.add(pool.submit(() -> hsm.store(HsmTestBed.instance(study, series, n))));
            }
            await().atMost(Duration.ofMinutes(1)).until(() -> hsm.ingestStatistics().synced() == 9);
            assertThat(lone.isDone()).as("the first store waits for its own transaction").isFalse();
            assertThat(eight).as("none returns before its row is committed").noneMatch(Future::isDone);
            assertThat(hsm.ingestStatistics().transactions()).isZero();

            release.countDown();
            assertThat(hsm.exists(lone.get(1, TimeUnit.MINUTES).sopInstanceUid())).isTrue();
            for (Future<StoredInstance> f : eight) {
                assertThat(hsm.exists(f.get(1, TimeUnit.MINUTES).sopInstanceUid())).isTrue();
            }
            IngestStatistics s = hsm.ingestStatistics();
            assertThat(s.stores()).isEqualTo(9);
            assertThat(s.transactions()).as("one for the first store, one for the eight behind it").isEqualTo(2);
            assertThat(s.largestTransaction()).isEqualTo(8);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedCatalogCommitFailsEveryStoreOfItsGroupAndTheArchiveGoesOn() throws Exception {
        AtomicBoolean failOnce = new AtomicBoolean(true);
        FaultHook fail = step -> {
            if (step.equals("group-commit") && failOnce.getAndSet(false)) {
                throw new StorageException(StorageException.Reason.UNAVAILABLE, "catalog down (injected)");
            }
        };
        String study = UidGenerator.newUid();
        String series = UidGenerator.newUid();
        try (HsmStorage hsm = open(fail)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> hsm.store(HsmTestBed.instance(study, series, 1)))
                    .isInstanceOf(StorageException.class).hasMessageContaining("catalog down");
            StoredInstance next = hsm.store(HsmTestBed.instance(study, series, 2));
            assertThat(hsm.exists(next.sopInstanceUid())).isTrue();
        }
    }

    private HsmStorage open(FaultHook hook) {
        Map<StorageTier, BlobStore> tiers = new EnumMap<>(StorageTier.class);
        tiers.put(StorageTier.HOT, new FileBlobStore(FileStorageConfig.of(dir.resolve("hot"))));
        return new HsmStorage(tiers, JdbcInstanceCatalog.sqlite(dir.resolve("catalog.db")),
                HsmStorageConfig.defaults().withFaultHook(hook));
    }
}
