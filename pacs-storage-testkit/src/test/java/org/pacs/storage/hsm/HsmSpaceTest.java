package org.pacs.storage.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.Digests;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.testkit.SyntheticInstances;

/**
 * Space management over FileStorage tiers and a SQLite catalog: release: watermark keeps hot copies as a
 * recorded cache, the release pass drops them oldest access first between the watermarks and never the only copy,
 * recall on read, and a full hot tier (by capacity) refusing a store with OUT_OF_SPACE.
 */
class HsmSpaceTest extends FileHsmTestBase {

    private static final int PIXELS = 4000;

    private HsmStorageConfig watermark(long hotCapacity) {
        return HsmFixture.config(clock).withSpace(SpaceConfig.DEFAULTS.withRelease(SpaceConfig.ReleaseMode.WATERMARK)
                .withCapacity(StorageTier.HOT, hotCapacity));
    }

    private StoredInstance store(long seed) {
        return hsm.store(new ByteArrayInputStream(SyntheticInstances.bytes(SyntheticInstances.header(), PIXELS,
                seed)));
    }

    private static String sha(InputStream in) throws Exception {
        try (in) {
            return Digests.sha256(in);
        }
    }

    private List<StoredInstance> storeAndMigrate(int n, StorageTier to) {
        List<StoredInstance> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(store(i));
            clock.advance(Duration.ofMinutes(1)); // store times, hence last activity, in store order
        }
        var r = hsm.migrate(out.stream().map(StoredInstance::sopInstanceUid).toList(), to);
        assertThat(r.failed()).isEmpty();
        return out;
    }

    private void deleteBehindTheBack(StorageTier tier, StoredInstance s) {
        hsm.tierStore(tier).delete(hsm.tierStore(tier).keyFor(s));
    }

    @Test
    void watermarkMigrationKeepsTheHotCopyAndReadsAreServedFromIt() throws Exception {
        open(watermark(1L << 30));
        List<StoredInstance> all = storeAndMigrate(3, StorageTier.WARM);
        for (StoredInstance s : all) {
            SopInstanceUid uid = s.sopInstanceUid();
            assertThat(hsm.getTier(uid)).contains(StorageTier.WARM);
            assertThat(hsm.copies(uid)).containsExactly(StorageTier.WARM, StorageTier.HOT);
            assertThat(TierView.of(hsm, StorageTier.HOT).exists(uid)).isTrue();
            assertThat(TierView.of(hsm, StorageTier.WARM).exists(uid)).isTrue();
        }
        assertThat(hsm.verifyIntegrity().isClean()).as("cache copies are accounted for and checked").isTrue();
        HsmStatistics st = hsm.getHsmStatistics();
        assertThat(st.count(StorageTier.WARM)).isEqualTo(3);
        assertThat(st.hotCopies()).isEqualTo(3);
        assertThat(st.usedBytes(StorageTier.HOT)).isEqualTo(all.stream().mapToLong(StoredInstance::sizeBytes).sum());
        assertThat(st.capacity(StorageTier.HOT)).isEqualTo(1L << 30);
        // the warm copy gone behind the archive's back: the read is still answered, so it came from hot
        deleteBehindTheBack(StorageTier.WARM, all.get(0));
        assertThat(sha(hsm.open(all.get(0).sopInstanceUid()))).isEqualTo(all.get(0).sha256());
        assertThat(hsm.verifyIntegrity().missing()).containsExactly(all.get(0).sopInstanceUid());
    }

    @Test
    void immediateReleaseDeletesTheHotSourceAsBefore() {
        open(HsmFixture.config(clock));
        List<StoredInstance> all = storeAndMigrate(2, StorageTier.WARM);
        assertThat(hsm.copies(all.get(0).sopInstanceUid())).containsExactly(StorageTier.WARM);
        assertThat(TierView.of(hsm, StorageTier.HOT).list()).isEmpty();
        assertThat(hsm.releaseHotCopies().released()).isZero();
    }

    @Test
    void releasePassDropsOldestAccessFirstDownToTheLowWatermark() throws Exception {
        open(HsmFixture.config(clock));
        hsm.close();
        // ten equal instances; capacity so that all ten hot copies are 95 % of it
        open(watermark(Long.MAX_VALUE));
        List<StoredInstance> all = storeAndMigrate(10, StorageTier.WARM);
        long total = all.stream().mapToLong(StoredInstance::sizeBytes).sum(); // ten of about equal size
        // the two oldest are read now: they become the most recently used, so they are released last
        clock.advance(Duration.ofMinutes(5));
        sha(hsm.open(all.get(0).sopInstanceUid()));
        sha(hsm.open(all.get(1).sopInstanceUid()));
        hsm.flushAccessTimes();
        hsm.close();
        long capacity = (long) Math.ceil(total / 0.95);
        open(watermark(capacity));
        ReleaseResult r = hsm.releaseHotCopies();
        assertThat(r.usedBefore()).isEqualTo(total);
        assertThat(r.usedAfter()).isLessThanOrEqualTo((long) (0.80 * capacity)).isEqualTo(total - r.releasedBytes());
        // 0.95 -> at most 0.80 of capacity: two of ten (each 9.5 %) are enough
        assertThat(r.released()).isEqualTo(2);
        assertThat(r.kept()).isZero();
        List<SopInstanceUid> released = new ArrayList<>();
        for (StoredInstance s : all) {
            if (!hsm.copies(s.sopInstanceUid()).contains(StorageTier.HOT)) {
                released.add(s.sopInstanceUid());
            }
        }
        assertThat(released).as("oldest access first: stored 3rd and 4th, the 1st and 2nd were read since")
                .containsExactly(all.get(2).sopInstanceUid(), all.get(3).sopInstanceUid());
        for (StoredInstance s : all) {
            assertThat(sha(hsm.open(s.sopInstanceUid()))).isEqualTo(s.sha256());
        }
        assertThat(hsm.verifyIntegrity().isClean()).isTrue();
        assertThat(hsm.releaseHotCopies().released()).as("below the high watermark now: nothing to do").isZero();
    }

    @Test
    void releaseNeverDeletesTheOnlyCopy() throws Exception {
        open(watermark(1L << 30));
        List<StoredInstance> all = storeAndMigrate(2, StorageTier.COLD);
        deleteBehindTheBack(StorageTier.COLD, all.get(0)); // the home copy lost behind the archive's back
        hsm.close();
        open(watermark(100)); // far above the high watermark: every cache copy is due
        ReleaseResult r = hsm.releaseHotCopies();
        assertThat(r.released()).isEqualTo(1);
        assertThat(r.kept()).isEqualTo(1);
        assertThat(hsm.copies(all.get(0).sopInstanceUid())).contains(StorageTier.HOT);
        assertThat(sha(hsm.open(all.get(0).sopInstanceUid()))).isEqualTo(all.get(0).sha256());
        assertThat(hsm.copies(all.get(1).sopInstanceUid())).containsExactly(StorageTier.COLD);
        assertThat(sha(hsm.open(all.get(1).sopInstanceUid()))).isEqualTo(all.get(1).sha256());
    }

    @Test
    void aStoreAboveTheHighWatermarkStartsAReleaseInTheBackground() {
        open(watermark(1L << 30));
        List<StoredInstance> all = storeAndMigrate(5, StorageTier.WARM);
        long total = all.stream().mapToLong(StoredInstance::sizeBytes).sum();
        hsm.close();
        // hot (five cache copies) is at 0.8 of capacity; one more store takes it past 0.9 (but not past 1)
        open(watermark((long) (total / 0.8)));
        hsm.releaseHotCopies(); // below the high watermark: computes hot's figure, releases nothing
        assertThat(hsm.getHsmStatistics().hotCopies()).isEqualTo(5);
        StoredInstance big = hsm.store(new ByteArrayInputStream(SyntheticInstances.bytes(SyntheticInstances.header(),
                PIXELS - 300, 99)));
        assertThat(big.sizeBytes()).isGreaterThan((long) (0.1 * total / 0.8));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(hsm.getHsmStatistics().hotCopies()).isLessThan(5));
        assertThat(hsm.getTier(big.sopInstanceUid())).contains(StorageTier.HOT);
        assertThat(hsm.verifyIntegrity().isClean()).isTrue();
    }

    @Test
    void aStoreIntoAFullHotTierFailsOutOfSpaceAndLeavesNoFile() throws Exception {
        open(HsmFixture.config(clock).withSpace(SpaceConfig.DEFAULTS.withCapacity(StorageTier.HOT, 8_000)));
        StoredInstance first = store(1);
        hsm.releaseHotCopies(); // the first figure of hot (a store starts it in the background; here at once)
        assertThatThrownBy(() -> store(2)).isInstanceOfSatisfying(StorageException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.OUT_OF_SPACE);
            assertThat(e.getMessage()).contains("hot tier").contains("tiers.hot.capacity")
                    .contains("pacs-storage release").contains("add a tier");
        });
        assertThat(hsm.list()).extracting(StoredInstance::sopInstanceUid).containsExactly(first.sopInstanceUid());
        assertThat(TierView.of(hsm, StorageTier.HOT).list()).hasSize(1);
        try (var spool = Files.list(hsm.tierStore(StorageTier.HOT).spoolDir())) {
            // the live archive's store journal (intents-*.slots) stays; no spooled write (*.tmp) may
            assertThat(spool.filter(f -> f.getFileName().toString().endsWith(".tmp"))).as("no spool file left").isEmpty();
        }
        // removing the first makes room again
        hsm.remove(first.sopInstanceUid());
        hsm.releaseHotCopies();
        assertThat(store(2).sizeBytes()).isPositive();
    }

    @Test
    void recallOnReadCopiesBackToHotAfterTheReadAndKeepsTheHomeTier() throws Exception {
        open(HsmFixture.config(clock).withSpace(SpaceConfig.DEFAULTS.withRecallOnRead(true)));
        List<StoredInstance> all = storeAndMigrate(2, StorageTier.COLD);
        SopInstanceUid uid = all.get(0).sopInstanceUid();
        InputStream in = hsm.open(uid);
        assertThat(hsm.copies(uid)).as("nothing before the answer is complete").containsExactly(StorageTier.COLD);
        assertThat(sha(in)).isEqualTo(all.get(0).sha256()); // closes the stream: the recall is asked for
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(hsm.copies(uid)).containsExactly(StorageTier.COLD, StorageTier.HOT));
        assertThat(hsm.getTier(uid)).contains(StorageTier.COLD);
        assertThat(hsm.copies(all.get(1).sopInstanceUid())).containsExactly(StorageTier.COLD);
        assertThat(hsm.recallToHot(uid)).as("already recalled: a no-op that says so").isTrue();
        assertThat(hsm.verifyIntegrity().isClean()).isTrue();
        // the next read comes from hot: it is answered with the cold copy gone
        deleteBehindTheBack(StorageTier.COLD, all.get(0));
        assertThat(sha(hsm.open(uid))).isEqualTo(all.get(0).sha256());
    }

    @Test
    void withoutRecallOnReadAReadLeavesNoHotCopy() throws Exception {
        open(HsmFixture.config(clock));
        List<StoredInstance> all = storeAndMigrate(1, StorageTier.WARM);
        SopInstanceUid uid = all.get(0).sopInstanceUid();
        assertThat(sha(hsm.open(uid))).isEqualTo(all.get(0).sha256());
        hsm.close(); // waits for any background work: a recall, had one been asked for, would have run
        open(HsmFixture.config(clock));
        assertThat(hsm.copies(uid)).containsExactly(StorageTier.WARM);
        assertThat(TierView.of(hsm, StorageTier.HOT).list()).isEmpty();
    }

    @Test
    void removeAndMigrationBackToHotHandleTheCacheCopy() throws Exception {
        open(watermark(1L << 30));
        List<StoredInstance> all = storeAndMigrate(2, StorageTier.WARM);
        hsm.remove(all.get(0).sopInstanceUid());
        assertThat(TierView.of(hsm, StorageTier.HOT).exists(all.get(0).sopInstanceUid())).isFalse();
        assertThat(TierView.of(hsm, StorageTier.WARM).exists(all.get(0).sopInstanceUid())).isFalse();
        SopInstanceUid back = all.get(1).sopInstanceUid();
        assertThat(hsm.migrate(back, StorageTier.HOT)).isTrue();
        assertThat(hsm.copies(back)).containsExactly(StorageTier.HOT);
        assertThat(TierView.of(hsm, StorageTier.WARM).exists(back)).isFalse();
        assertThat(sha(hsm.open(back))).isEqualTo(all.get(1).sha256());
        // and out again, into cold: the cache is recorded anew
        assertThat(hsm.migrate(back, StorageTier.COLD)).isTrue();
        assertThat(hsm.copies(back)).containsExactly(StorageTier.COLD, StorageTier.HOT);
        CatalogEntry e = hsm.catalog().get(back).orElseThrow();
        assertThat(e.hotCopy()).isTrue();
        assertThat(hsm.verifyIntegrity().isClean()).isTrue();
    }

    @Test
    void invalidWatermarksAreRefusedWithTheRule() {
        assertThatThrownBy(() -> SpaceConfig.DEFAULTS.withWatermarks(0.8, 0.9))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.INVALID_INPUT);
                    assertThat(e.getMessage()).contains("low-watermark").contains("below the high-watermark");
                });
        assertThatThrownBy(() -> SpaceConfig.DEFAULTS.withWatermarks(1.5, 0.8))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.getMessage())
                        .contains("high-watermark"));
        assertThatThrownBy(() -> SpaceConfig.DEFAULTS.withCapacity(StorageTier.HOT, 0))
                .isInstanceOf(StorageException.class).hasMessageContaining("capacity of the hot tier");
    }
}
