package org.pacs.storage.hsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException.Reason;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.file.FileLayout;
import org.pacs.storage.blob.Digests;
import org.pacs.storage.testkit.SyntheticInstances;

/** HsmStorage.migrate(Collection, tier): the batch path keeps every guarantee of the single move. */
class HsmBatchMigrationTest extends FileHsmTestBase {

    private Map<SopInstanceUid, StoredInstance> storeMany(int n) {
        Map<SopInstanceUid, StoredInstance> out = new HashMap<>();
        for (int i = 0; i < n; i++) {
            StoredInstance s = hsm.store(new ByteArrayInputStream(
                    SyntheticInstances.bytes(SyntheticInstances.header(), 256 + 2 * i, i)));
            out.put(s.sopInstanceUid(), s);
        }
        return out;
    }

    private void assertOnlyIn(StorageTier tier, StoredInstance s) throws Exception {
        assertThat(hsm.getTier(s.sopInstanceUid())).contains(tier);
        try (InputStream in = hsm.open(s.sopInstanceUid())) {
            assertThat(Digests.sha256(in)).isEqualTo(s.sha256());
        }
        for (StorageTier t : StorageTier.values()) {
            assertThat(TierView.of(hsm, t).exists(s.sopInstanceUid())).as(s.sopInstanceUid() + " in " + t)
                    .isEqualTo(t == tier);
        }
    }

    @Test
    void movesManyInSeveralBatchesAndReportsEachOne() throws Exception {
        open(HsmFixture.config(clock));
        Map<SopInstanceUid, StoredInstance> stored = storeMany(100); // more than one batch of MAX_BATCH
        List<SopInstanceUid> uids = new ArrayList<>(stored.keySet());
        SopInstanceUid alreadyWarm = uids.get(0);
        assertThat(hsm.migrate(alreadyWarm, StorageTier.WARM)).isTrue();
        SopInstanceUid unknown = SopInstanceUid.of("1.2.3.999999");
        List<SopInstanceUid> asked = new ArrayList<>(uids);
        asked.add(unknown);

        MigrationBatchResult r = hsm.migrate(asked, StorageTier.WARM);

        assertThat(r.failed()).isEmpty();
        assertThat(r.unchanged()).containsExactlyInAnyOrder(alreadyWarm, unknown);
        assertThat(r.moved()).hasSize(99).doesNotContain(alreadyWarm);
        for (StoredInstance s : stored.values()) {
            assertOnlyIn(StorageTier.WARM, s);
        }
        HsmStatistics st = hsm.getHsmStatistics();
        assertThat(st.count(StorageTier.WARM)).isEqualTo(100);
        assertThat(st.migrationsCompleted()).isEqualTo(100);
        assertThat(st.migrationsFailed()).isZero();
        // and back again (recall), across the tiers' directories the first move created
        assertThat(hsm.migrate(uids, StorageTier.HOT).moved()).hasSize(100);
        for (StoredInstance s : stored.values()) {
            assertOnlyIn(StorageTier.HOT, s);
        }
    }

    @Test
    void aDamagedSourceIsRefusedAndStaysWhileTheRestMove() throws Exception {
        open(HsmFixture.config(clock));
        Map<SopInstanceUid, StoredInstance> stored = storeMany(10);
        StoredInstance damaged = stored.values().iterator().next();
        Path file = dir.resolve("hot").resolve(FileLayout.HIERARCHICAL.relativePath(damaged));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(raf.length() - 1);
            int b = raf.read();
            raf.seek(raf.length() - 1);
            raf.write(b ^ 0xFF); // one pixel byte: the copy's SHA-256 no longer matches the catalog
        }

        MigrationBatchResult r = hsm.migrate(stored.keySet(), StorageTier.COLD);

        assertThat(r.failed()).containsOnlyKeys(damaged.sopInstanceUid());
        assertThat(r.failed().get(damaged.sopInstanceUid()).reason()).isEqualTo(Reason.CORRUPT);
        assertThat(r.failed().get(damaged.sopInstanceUid()).getMessage()).as("caught by the CRC32C alone")
                .contains(String.format("CRC32C %08x", damaged.crc32c()));
        assertThat(r.moved()).hasSize(9);
        assertThat(hsm.getTier(damaged.sopInstanceUid())).contains(StorageTier.HOT);
        assertThat(TierView.of(hsm, StorageTier.COLD).exists(damaged.sopInstanceUid())).as("copy rolled back").isFalse();
        assertThat(hsm.getHsmStatistics().migrationsFailed()).isEqualTo(1);
        for (StoredInstance s : stored.values()) {
            if (!s.equals(damaged)) {
                assertOnlyIn(StorageTier.COLD, s);
            }
        }
    }

    @Test
    void theCatalogRecordsTheCrc32cOfTheStoredBytesWhichAMigrationChecks() throws Exception {
        open(HsmFixture.config(clock));
        StoredInstance s = storeMany(1).values().iterator().next();
        java.util.zip.CRC32C expected = new java.util.zip.CRC32C();
        try (InputStream in = hsm.open(s.sopInstanceUid())) {
            expected.update(in.readAllBytes());
        }

        assertThat(s.crc32c()).isEqualTo(expected.getValue());
        assertThat(hsm.catalog().get(s.sopInstanceUid()).orElseThrow().instance().crc32c())
                .isEqualTo(expected.getValue());
        assertThat(hsm.migrate(List.of(s.sopInstanceUid()), StorageTier.WARM).moved()).hasSize(1);
        assertOnlyIn(StorageTier.WARM, s);
    }

    @Test
    void aRowCataloguedWithoutACrc32cIsCheckedBySha256AndADamagedOneStays() throws Exception {
        open(HsmFixture.config(clock));
        Map<SopInstanceUid, StoredInstance> stored = storeMany(4);
        hsm.close();
        // what a catalog written before schema step 5 holds: no CRC32C for any row
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("catalog.db"));
             java.sql.Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("UPDATE instances SET crc32c = NULL")).isEqualTo(4);
        }
        open(HsmFixture.config(clock));
        StoredInstance damaged = stored.values().iterator().next();
        assertThat(hsm.catalog().get(damaged.sopInstanceUid()).orElseThrow().instance().hasCrc32c()).isFalse();
        Path file = dir.resolve("hot").resolve(FileLayout.HIERARCHICAL.relativePath(damaged));
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(raf.length() - 1);
            int b = raf.read();
            raf.seek(raf.length() - 1);
            raf.write(b ^ 0x01); // one bit
        }

        MigrationBatchResult r = hsm.migrate(stored.keySet(), StorageTier.WARM);

        assertThat(r.failed()).containsOnlyKeys(damaged.sopInstanceUid());
        assertThat(r.failed().get(damaged.sopInstanceUid()).reason()).isEqualTo(Reason.CORRUPT);
        assertThat(r.failed().get(damaged.sopInstanceUid()).getMessage()).contains(damaged.sha256())
                .doesNotContain("CRC32C");
        assertThat(hsm.getTier(damaged.sopInstanceUid())).contains(StorageTier.HOT);
        assertThat(TierView.of(hsm, StorageTier.WARM).exists(damaged.sopInstanceUid())).isFalse();
        for (StoredInstance s : stored.values()) {
            if (!s.equals(damaged)) {
                assertOnlyIn(StorageTier.WARM, s);
            }
        }
    }

    @Test
    void aDeadCatalogFailsEveryInstanceInTheResultInsteadOfThrowing() {
        open(HsmFixture.config(clock));
        Map<SopInstanceUid, StoredInstance> stored = storeMany(5);
        hsm.catalog().close(); // what a database that went away looks like to the storage

        MigrationBatchResult r = hsm.migrate(stored.keySet(), StorageTier.WARM);

        assertThat(r.moved()).isEmpty();
        assertThat(r.failed()).containsOnlyKeys(stored.keySet());
        assertThat(r.failed().values()).allSatisfy(e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
        assertThat(TierView.of(hsm, StorageTier.WARM).list()).as("nothing copied").isEmpty();
    }

    @Test
    void batchesAndSingleMovesOfTheSameInstancesNeverLoseOrDuplicateOne() throws Exception {
        open(HsmFixture.config(clock));
        Map<SopInstanceUid, StoredInstance> stored = storeMany(48);
        List<SopInstanceUid> uids = new ArrayList<>(stored.keySet());
        StorageTier[] targets = {StorageTier.WARM, StorageTier.COLD, StorageTier.HOT, StorageTier.WARM};
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int worker = t;
                work.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < 3; round++) {
                        StorageTier target = targets[(worker + round) % targets.length];
                        if (worker % 2 == 0) {
                            hsm.migrate(uids, target); // failures (claimed by a sibling) are reported, not thrown
                        } else {
                            for (int i = worker; i < uids.size(); i += 7) {
                                try {
                                    hsm.migrate(uids.get(i), target);
                                } catch (org.pacs.storage.StorageException e) {
                                    assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
                                }
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : work) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (StoredInstance s : stored.values()) {
            assertOnlyIn(hsm.getTier(s.sopInstanceUid()).orElseThrow(), s);
        }
        assertThat(hsm.verifyIntegrity().isClean()).isTrue();
    }
}
