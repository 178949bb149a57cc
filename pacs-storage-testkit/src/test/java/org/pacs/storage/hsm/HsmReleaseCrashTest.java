package org.pacs.storage.hsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.Digests;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.catalog.MigrationState;
import org.pacs.storage.file.FileStorageConfig;
import org.pacs.storage.testkit.ForkedJvm;
import org.pacs.storage.testkit.SyntheticInstances;

/**
 * Crash safety of the release pass: 120 instances live in warm with their hot copies kept as a cache (release:
 * watermark); a forked JVM whose hot capacity makes every cache copy due runs a release pass and dies at each of
 * its steps (Runtime.halt, like kill -9), part-way through a chunk. After every death the archive is reopened
 * (which recovers) and, with no manual step, every instance reads back byte for byte, verify is clean, no row is
 * left mid-release, and hot holds exactly the copies the catalog records.
 */
class HsmReleaseCrashTest {

    private static final int INSTANCES = 120;
    /** Below every figure: the pass releases every cache copy. */
    private static final long TINY = 1;
    private static final long HUGE = 1L << 40;

    @TempDir
    Path dir;

    private final Map<SopInstanceUid, String> sha = new HashMap<>();

    static HsmStorage open(Path dir, long hotCapacity, FaultHook hook) {
        Map<StorageTier, org.pacs.storage.blob.BlobStore> tiers = new EnumMap<>(StorageTier.class);
        for (StorageTier t : StorageTier.values()) {
            tiers.put(t, new org.pacs.storage.file.FileBlobStore(FileStorageConfig.of(
                    dir.resolve(t.name().toLowerCase())).withFsync(false)));
        }
        return new HsmStorage(tiers, JdbcInstanceCatalog.sqlite(dir.resolve("catalog.db")),
                HsmStorageConfig.defaults().withNodeId("release-crash-node").withFaultHook(hook)
                        .withSpace(SpaceConfig.DEFAULTS.withRelease(SpaceConfig.ReleaseMode.WATERMARK)
                                .withCapacity(StorageTier.HOT, hotCapacity)));
    }

    @BeforeEach
    void storeAndMigrateKeepingHotCopies() {
        try (HsmStorage hsm = open(dir, HUGE, FaultHook.NONE)) {
            for (int i = 0; i < INSTANCES; i++) {
                StoredInstance s = hsm.store(new ByteArrayInputStream(
                        SyntheticInstances.bytes(SyntheticInstances.header(), 512 + 2 * i, i)));
                sha.put(s.sopInstanceUid(), s.sha256());
            }
            MigrationBatchResult r = hsm.migrate(List.copyOf(sha.keySet()), StorageTier.WARM);
            assertThat(r.failed()).isEmpty();
            assertThat(hsm.getHsmStatistics().hotCopies()).isEqualTo(INSTANCES);
        }
    }

    @Test
    void crashAtEveryReleaseStepLeavesEveryInstanceReadableAndVerifyClean() {
        String[] steps = {"release-begun", "release-deleted", "released", "release-deleted"};
        int[] nth = {5, 70, 20, 3}; // part-way through the pass's chunk; the last also hits the recovery at open
        for (int i = 0; i < steps.length; i++) {
            ForkedJvm.Result r = ForkedJvm.run(HsmReleaseCrashMain.class,
                    List.of("-Xmx256m", "-Dpacs.hsm.crashAt=" + steps[i], "-Dpacs.hsm.crashAfter=" + nth[i]),
                    List.of(dir.toString(), Long.toString(TINY)), Duration.ofMinutes(3));
            assertThat(r.exitCode()).as("child should halt at " + steps[i] + " #" + nth[i] + ":\n" + r.output())
                    .isEqualTo(137);
            assertThat(r.output()).doesNotContain("DONE");
            assertAllReadableAndConsistent("after a crash at " + steps[i] + " #" + nth[i]);
            storeAgainTheCacheCopies(); // each round has copies to release again
        }
        ForkedJvm.Result r = ForkedJvm.run(HsmReleaseCrashMain.class, List.of("-Xmx256m"),
                List.of(dir.toString(), Long.toString(TINY)), Duration.ofMinutes(3));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertAllReadableAndConsistent("after a clean pass");
        try (HsmStorage hsm = open(dir, HUGE, FaultHook.NONE)) {
            assertThat(hsm.getHsmStatistics().hotCopies()).as("every cache copy released").isZero();
            assertThat(TierView.of(hsm, StorageTier.HOT).list()).isEmpty();
        }
    }

    /** Recalls every instance to hot again, so the next crash has a full pass to interrupt. */
    private void storeAgainTheCacheCopies() {
        try (HsmStorage hsm = open(dir, HUGE, FaultHook.NONE)) {
            for (SopInstanceUid uid : sha.keySet()) {
                assertThat(hsm.recallToHot(uid)).isTrue();
            }
        }
    }

    /** Reopens (which recovers), then checks every instance and what each tier holds. */
    private void assertAllReadableAndConsistent(String when) {
        try (HsmStorage hsm = open(dir, HUGE, FaultHook.NONE)) {
            Set<SopInstanceUid> cached = new HashSet<>();
            for (CatalogEntry e : hsm.catalog().list()) {
                assertThat(e.migrationState()).as(when + ": recovered " + e.instance().sopInstanceUid())
                        .isEqualTo(MigrationState.NONE);
                assertThat(e.claimOwner()).as(when).isNull();
                assertThat(e.tier()).isEqualTo(StorageTier.WARM);
                if (e.hotCopy()) {
                    cached.add(e.instance().sopInstanceUid());
                }
            }
            for (Map.Entry<SopInstanceUid, String> want : sha.entrySet()) {
                try (InputStream in = hsm.open(want.getKey())) {
                    assertThat(Digests.sha256(in)).as(when + ": bytes of " + want.getKey()).isEqualTo(want.getValue());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            Set<SopInstanceUid> inHot = new HashSet<>();
            TierView.of(hsm, StorageTier.HOT).list().forEach(s -> inHot.add(s.sopInstanceUid()));
            assertThat(inHot).as(when + ": hot holds exactly the recorded cache copies").isEqualTo(cached);
            Set<SopInstanceUid> inWarm = new HashSet<>();
            TierView.of(hsm, StorageTier.WARM).list().forEach(s -> inWarm.add(s.sopInstanceUid()));
            assertThat(inWarm).as(when + ": every home copy").isEqualTo(sha.keySet());
            assertThat(hsm.verifyIntegrity().isClean()).as(when + ": verify").isTrue();
        }
    }
}
