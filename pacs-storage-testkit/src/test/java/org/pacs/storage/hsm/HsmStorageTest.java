package org.pacs.storage.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.MigrationState;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.blob.Digests;
import org.pacs.storage.testkit.SyntheticInstances;

/** HSM behaviour over FileStorage tiers and a SQLite catalog, with a hand-driven clock. */
class HsmStorageTest extends FileHsmTestBase {

    private StoredInstance store(int pixelBytes, long seed) {
        return hsm.store(new ByteArrayInputStream(SyntheticInstances.bytes(SyntheticInstances.header(), pixelBytes,
                seed)));
    }

    private static String sha(InputStream in) throws Exception {
        try (in) {
            return Digests.sha256(in);
        }
    }

    @Test
    void storeGoesHotAndMigrationWorksInEveryDirection() throws Exception {
        open(HsmFixture.config(clock));
        StoredInstance s = store(4096, 1);
        SopInstanceUid uid = s.sopInstanceUid();
        assertThat(hsm.getTier(uid)).contains(StorageTier.HOT);
        for (StorageTier target : List.of(StorageTier.WARM, StorageTier.COLD, StorageTier.HOT, StorageTier.COLD)) {
            assertThat(hsm.migrate(uid, target)).isTrue();
            assertThat(hsm.getTier(uid)).contains(target);
            assertThat(sha(hsm.open(uid))).isEqualTo(s.sha256());
            for (StorageTier t : StorageTier.values()) {
                assertThat(TierView.of(hsm, t).exists(uid)).as("copy in " + t).isEqualTo(t == target);
            }
        }
        assertThat(hsm.migrate(uid, StorageTier.COLD)).as("already there").isFalse();
        DicomDataset q = new DicomDataset().setString(Tag.StudyInstanceUID, s.studyInstanceUid());
        assertThat(hsm.find(q)).hasSize(1);
        HsmStatistics st = hsm.getHsmStatistics();
        assertThat(st.count(StorageTier.COLD)).isEqualTo(1);
        assertThat(st.bytes(StorageTier.COLD)).isEqualTo(s.sizeBytes());
        assertThat(st.count(StorageTier.HOT)).isZero();
        assertThat(st.migrationsCompleted()).isEqualTo(4);
        assertThat(hsm.verifyIntegrity().isClean()).isTrue();
        assertThatThrownBy(() -> hsm.migrate(SopInstanceUid.of("1.2.3.4"), StorageTier.WARM))
                .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    }

    @Test
    void accessTimesAreBatchedAndFlushedAtTheThreshold() {
        open(HsmFixture.config(clock).withAccessFlush(3, Duration.ofHours(1)));
        StoredInstance a = store(64, 1);
        StoredInstance b = store(64, 2);
        clock.advance(Duration.ofDays(1));
        hsm.retrieve(a.sopInstanceUid());
        hsm.retrieve(a.sopInstanceUid());
        hsm.retrieve(b.sopInstanceUid());
        assertThat(hsm.getTierMetadata(a.sopInstanceUid()).orElseThrow().lastAccess())
                .as("two UIDs pending, below the threshold of 3: nothing written yet").isEmpty();
        StoredInstance c = store(64, 3);
        hsm.retrieve(c.sopInstanceUid());
        // the third UID fills the batch; it is written on the flush thread, never by the reader
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(hsm.getTierMetadata(a.sopInstanceUid()).orElseThrow().lastAccess())
                        .contains(clock.instant()));
        assertThat(hsm.getTierMetadata(c.sopInstanceUid()).orElseThrow().lastAccess()).contains(clock.instant());
    }

    @Test
    void trackAccessTimeOffRecordsNothing() {
        open(HsmFixture.config(clock).withTrackAccessTime(false));
        StoredInstance a = store(64, 1);
        hsm.retrieve(a.sopInstanceUid());
        hsm.flushAccessTimes();
        assertThat(hsm.getTierMetadata(a.sopInstanceUid()).orElseThrow().lastAccess()).isEmpty();
    }

    @Test
    void candidatesFollowIdleTimeMinSizeAndAge() {
        open(HsmFixture.config(clock).withPolicy(TierPolicy.DEFAULT.withMinMigrationSize(1000)));
        StoredInstance old = store(2048, 1);
        clock.advance(Duration.ofDays(1));
        StoredInstance younger = store(2048, 2);
        StoredInstance small = store(16, 3);
        StoredInstance accessed = store(2048, 4);
        clock.advance(Duration.ofDays(20));
        hsm.retrieve(accessed.sopInstanceUid());
        clock.advance(Duration.ofDays(10)); // old: 31 d, younger/small: 30 d, accessed: idle 10 d
        List<TierMetadata> c = hsm.getMigrationCandidates(StorageTier.HOT, StorageTier.WARM);
        assertThat(c).extracting(TierMetadata::sopInstanceUid)
                .containsExactly(old.sopInstanceUid(), younger.sopInstanceUid());
        assertThat(hsm.getMigrationCandidates(StorageTier.WARM, StorageTier.COLD)).isEmpty();
        assertThat(hsm.getMigrationCandidates(StorageTier.COLD, StorageTier.HOT)).as("recalls are explicit").isEmpty();
        assertThat(c.get(0).shouldMigrate(hsm.config().policy(), StorageTier.WARM, clock.instant())).isTrue();
        assertThat(small.sizeBytes()).isLessThan(1000);
    }

    @Test
    void cycleHonoursInstanceAndByteBudgetsAndAutoMigrate() {
        open(HsmFixture.config(clock).withPolicy(TierPolicy.DEFAULT.withMaxInstancesPerCycle(3)));
        List<StoredInstance> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(store(1024, i));
        }
        clock.advance(Duration.ofDays(31));
        MigrationResult r = hsm.runMigrationCycle();
        assertThat(r.instancesMigrated()).isEqualTo(3);
        // header lengths differ by a few bytes, so compare with what the catalog holds in warm
        assertThat(r.bytesMigrated()).isEqualTo(hsm.getHsmStatistics().bytes(StorageTier.WARM));
        assertThat(r.isSuccess()).isTrue();
        assertThat(hsm.getHsmStatistics().count(StorageTier.WARM)).isEqualTo(3);
        hsm.close();

        long size = all.get(0).sizeBytes();
        open(HsmFixture.config(clock).withPolicy(TierPolicy.DEFAULT.withMaxBytesPerCycle(size + size / 2)));
        r = hsm.runMigrationCycle();
        assertThat(r.instancesMigrated()).as("only one fits 1.5 instances' bytes").isEqualTo(1);
        assertThat(r.instancesSkipped()).isEqualTo(1);
        hsm.close();

        open(HsmFixture.config(clock).withPolicy(TierPolicy.DEFAULT.withAutoMigrate(false)));
        assertThat(hsm.runMigrationCycle()).isEqualTo(MigrationResult.EMPTY);
        assertThat(hsm.getHsmStatistics().count(StorageTier.HOT)).isEqualTo(1);
        clock.advance(Duration.ofDays(400));
        open2AndRunCycle();
    }

    private void open2AndRunCycle() {
        hsm.close();
        open(HsmFixture.config(clock));
        MigrationResult r = hsm.runMigrationCycle();
        // one hot → warm, four warm → cold (idle > 365 d)
        assertThat(r.instancesMigrated()).isEqualTo(5);
        assertThat(hsm.getHsmStatistics().count(StorageTier.COLD)).isEqualTo(4);
        assertThat(hsm.getHsmStatistics().count(StorageTier.WARM)).isEqualTo(1);
    }

    @Test
    void aFailedCopyLeavesTheInstanceInItsTierAndCountsAFailure() {
        open(HsmFixture.config(clock));
        DicomDataset h = SyntheticInstances.header();
        StoredInstance s = hsm.store(new ByteArrayInputStream(SyntheticInstances.bytes(h, 256, 1)));
        // a plain file where warm needs the study's folder: the warm store cannot write the copy
        java.nio.file.Path warmRoot = ((org.pacs.storage.file.FileBlobStore) hsm.tierStore(StorageTier.WARM)).root();
        try {
            java.nio.file.Files.writeString(warmRoot.resolve(s.studyInstanceUid()), "in the way");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThatThrownBy(() -> hsm.migrate(s.sopInstanceUid(), StorageTier.WARM))
                .isInstanceOf(StorageException.class);
        assertThat(hsm.getTier(s.sopInstanceUid())).contains(StorageTier.HOT);
        CatalogEntry e = hsm.catalog().get(s.sopInstanceUid()).orElseThrow();
        assertThat(e.migrationState()).isEqualTo(MigrationState.NONE);
        assertThat(e.claimOwner()).isNull();
        assertThat(hsm.getHsmStatistics().migrationsFailed()).isEqualTo(1);
        assertThat(TierView.of(hsm, StorageTier.WARM).exists(s.sopInstanceUid()))
                .as("the rollback removed the refused target copy, which the catalog did not name").isFalse();
        try {
            java.nio.file.Files.delete(warmRoot.resolve(s.studyInstanceUid()));
        } catch (java.io.IOException io) {
            throw new java.io.UncheckedIOException(io);
        }
        assertThat(hsm.migrate(s.sopInstanceUid(), StorageTier.WARM)).isTrue();
    }

    @Test
    void anotherNodesLiveClaimIsRespectedAndAnExpiredOneTakenOver() {
        open(HsmFixture.config(clock));
        StoredInstance s = store(256, 1);
        SopInstanceUid uid = s.sopInstanceUid();
        Instant now = clock.instant();
        assertThat(hsm.catalog().claim(uid, "other-node", now, now.plus(Duration.ofMinutes(15)))).isTrue();
        assertThatThrownBy(() -> hsm.migrate(uid, StorageTier.WARM))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE));
        clock.advance(Duration.ofDays(31));
        // the lease expired long ago (clock moved 31 days): the cycle takes it over
        assertThat(hsm.runMigrationCycle().instancesMigrated()).isEqualTo(1);
        assertThat(hsm.getTier(uid)).contains(StorageTier.WARM);
    }

    @Test
    void aDeadNodesUnfinishedCopyIsRolledBackAfterItsLease() throws Exception {
        open(HsmFixture.config(clock));
        StoredInstance s = store(256, 1);
        SopInstanceUid uid = s.sopInstanceUid();
        Instant now = clock.instant();
        Instant lease = now.plus(Duration.ofMinutes(15));
        // what a node that died mid-copy leaves: state COPYING and a copy in the target
        hsm.catalog().beginMigration(uid, "dead-node", StorageTier.HOT, StorageTier.COLD, MigrationState.COPYING,
                now, lease);
        try (InputStream in = TierView.of(hsm, StorageTier.HOT).open(uid)) {
            TierView.of(hsm, StorageTier.COLD).store(in);
        }
        assertThat(hsm.recoverExpired()).as("lease still live").isZero();
        clock.advance(Duration.ofMinutes(16));
        assertThat(hsm.recoverExpired()).isEqualTo(1);
        assertThat(TierView.of(hsm, StorageTier.COLD).exists(uid)).isFalse();
        assertThat(hsm.getTier(uid)).contains(StorageTier.HOT);
        assertThat(sha(hsm.open(uid))).isEqualTo(s.sha256());
        assertThat(hsm.catalog().get(uid).orElseThrow().migrationState()).isEqualTo(MigrationState.NONE);
    }

    @Test
    void duplicateOfAColderInstanceFollowsThePolicy() throws Exception {
        open(HsmFixture.config(clock));
        DicomDataset h = SyntheticInstances.header();
        byte[] a = SyntheticInstances.bytes(h, 256, 1);
        byte[] b = SyntheticInstances.bytes(h, 256, 2);
        StoredInstance s = hsm.store(new ByteArrayInputStream(a));
        hsm.migrate(s.sopInstanceUid(), StorageTier.COLD);
        assertThat(hsm.store(new ByteArrayInputStream(a)).sha256()).isEqualTo(s.sha256());
        assertThatThrownBy(() -> hsm.store(new ByteArrayInputStream(b)))
                .isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.ALREADY_EXISTS));
        assertThat(hsm.getTier(s.sopInstanceUid())).contains(StorageTier.COLD);
        assertThat(TierView.of(hsm, StorageTier.HOT).exists(s.sopInstanceUid())).as("no stray hot copy").isFalse();
        assertThat(hsm.verifyIntegrity().isClean()).isTrue();
        hsm.close();

        open(HsmFixture.config(clock).withDuplicatePolicy(DuplicatePolicy.REPLACE));
        StoredInstance r = hsm.store(new ByteArrayInputStream(b));
        assertThat(hsm.getTier(s.sopInstanceUid())).contains(StorageTier.HOT);
        assertThat(sha(hsm.open(s.sopInstanceUid()))).isEqualTo(r.sha256()).isNotEqualTo(s.sha256());
        assertThat(TierView.of(hsm, StorageTier.COLD).exists(s.sopInstanceUid())).isFalse();
    }

    @Test
    void stateSurvivesARestart() throws Exception {
        open(HsmFixture.config(clock));
        StoredInstance s = store(512, 1);
        hsm.migrate(s.sopInstanceUid(), StorageTier.WARM);
        hsm.retrieve(s.sopInstanceUid());
        hsm.close();
        open(HsmFixture.config(clock));
        assertThat(hsm.getTier(s.sopInstanceUid())).contains(StorageTier.WARM);
        assertThat(hsm.getTierMetadata(s.sopInstanceUid()).orElseThrow().lastAccess())
                .as("pending access flushed at close").isPresent();
        assertThat(sha(hsm.open(s.sopInstanceUid()))).isEqualTo(s.sha256());
        assertThat(hsm.getHsmStatistics().migrationsCompleted()).isEqualTo(1);
    }
}
