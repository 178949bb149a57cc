package org.pacs.storage.hsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.catalog.MigrationState;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;
import org.pacs.storage.blob.Digests;
import org.pacs.storage.testkit.ForkedJvm;
import org.pacs.storage.testkit.SyntheticInstances;

/**
 * Crash safety of migration: a forked JVM migrating 200 instances dies at every step of the state machine
 * (fault injection: Runtime.halt at a named step, which skips every shutdown hook and flush like kill -9) and
 * once by a real SIGKILL at an arbitrary moment; moving one instance at a time and in batches. After each death the HSM is reopened, and every instance must
 * be readable byte for byte from the tier the catalog names, with no copy in any other tier.
 */
class HsmCrashRecoveryTest {

    private static final int INSTANCES = 200;

    @TempDir
    Path dir;

    private final Map<SopInstanceUid, String> sha = new HashMap<>();

    /** Tiers without fsync: a killed process loses nothing the OS already has, and CI time matters. */
    static HsmStorage open(Path dir) {
        return open(dir, false);
    }

    /** With fsync on, FileStorage batches defer their syncs to the commit: the batch mode tests that path. */
    static HsmStorage open(Path dir, boolean fsync) {
        Map<StorageTier, org.pacs.storage.blob.BlobStore> tiers = new EnumMap<>(StorageTier.class);
        for (StorageTier t : StorageTier.values()) {
            tiers.put(t, new org.pacs.storage.file.FileBlobStore(FileStorageConfig.of(
                    dir.resolve(t.name().toLowerCase())).withFsync(fsync)));
        }
        return new HsmStorage(tiers, JdbcInstanceCatalog.sqlite(dir.resolve("catalog.db")),
                HsmStorageConfig.defaults().withNodeId("crash-node").withFaultHook(crashHookFromProperties()));
    }

    /** In the forked JVM, -Dpacs.hsm.crashAt=STEP (and crashAfter=N) halt it there, like kill -9. */
    static FaultHook crashHookFromProperties() {
        String step = System.getProperty("pacs.hsm.crashAt");
        return step == null ? FaultHook.NONE : FaultHook.haltAt(step, Integer.getInteger("pacs.hsm.crashAfter", 1));
    }

    @BeforeEach
    void storeInstances() {
        try (HsmStorage hsm = open(dir)) {
            for (int i = 0; i < INSTANCES; i++) {
                StoredInstance s = hsm.store(new ByteArrayInputStream(
                        SyntheticInstances.bytes(SyntheticInstances.header(), 512 + 2 * i, i)));
                sha.put(s.sopInstanceUid(), s.sha256());
            }
        }
    }

    @ParameterizedTest(name = "{0} moves")
    @ValueSource(strings = {"single", "batch"})
    void crashAtEveryStepLosesNothingAndLeavesNoOrphan(String mode) {
        String[] steps = {"before-begin", "copying", "copied", "before-verify", "verified", "committed",
                "source-deleted", "finished"};
        // alternating targets keep at least 60 instances to move in every run, so each crash point is reached
        StorageTier[] targets = {StorageTier.WARM, StorageTier.COLD};
        for (int i = 0; i < steps.length; i++) {
            StorageTier target = targets[i % targets.length];
            int nth = 1 + (i * 13) % 35; // die part-way through the batch, at a different instance each time
            ForkedJvm.Result r = ForkedJvm.run(HsmCrashMain.class,
                    List.of("-Xmx256m", "-Dpacs.hsm.crashAt=" + steps[i], "-Dpacs.hsm.crashAfter=" + nth),
                    List.of(dir.toString(), target.name(), mode), Duration.ofMinutes(3));
            assertThat(r.exitCode()).as("child should halt at " + steps[i] + " #" + nth + ":\n" + r.output())
                    .isEqualTo(137);
            assertThat(r.output()).doesNotContain("DONE");
            assertAllIntactAndNoOrphans("after a crash at " + steps[i] + " #" + nth, true);
        }
        // a final clean run finishes the last move and everything ends in one tier
        ForkedJvm.Result r = ForkedJvm.run(HsmCrashMain.class, List.of("-Xmx256m"),
                List.of(dir.toString(), "HOT", mode), Duration.ofMinutes(3));
        assertThat(r.exitCode()).as(r.output()).isZero();
        assertAllIntactAndNoOrphans("after a clean run", false);
        try (HsmStorage hsm = open(dir)) {
            assertThat(hsm.getHsmStatistics().count(StorageTier.HOT)).as("recalled").isEqualTo(INSTANCES);
        }
    }

    @Test
    void sigkillAtAnArbitraryMomentLosesNothing() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), HsmCrashMain.class.getName(),
                dir.toString(), "COLD"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        int moved = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && moved < 60) {
                if (line.startsWith("MOVED")) {
                    moved++;
                }
            }
            p.destroyForcibly(); // SIGKILL while the next moves are in flight
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(moved).as("the child got going before the kill").isEqualTo(60);
        assertAllIntactAndNoOrphans("after SIGKILL", true);
    }

    /** Reopens (which recovers), then checks every instance and every tier. */
    private void assertAllIntactAndNoOrphans(String when, boolean afterCrash) {
        try (HsmStorage hsm = open(dir)) {
            assertThat(hsm.list()).as(when).hasSize(INSTANCES);
            Map<StorageTier, Set<SopInstanceUid>> expected = new EnumMap<>(StorageTier.class);
            for (StorageTier t : StorageTier.values()) {
                expected.put(t, new HashSet<>());
            }
            for (CatalogEntry e : hsm.catalog().list()) {
                assertThat(e.migrationState()).as(when + ": recovered " + e.instance().sopInstanceUid())
                        .isEqualTo(MigrationState.NONE);
                assertThat(e.claimOwner()).as(when).isNull();
                expected.get(e.tier()).add(e.instance().sopInstanceUid());
            }
            for (Map.Entry<SopInstanceUid, String> want : sha.entrySet()) {
                try (InputStream in = hsm.open(want.getKey())) {
                    assertThat(Digests.sha256(in)).as(when + ": bytes of " + want.getKey())
                            .isEqualTo(want.getValue());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            for (StorageTier t : StorageTier.values()) {
                Set<SopInstanceUid> held = new HashSet<>();
                TierView.of(hsm, t).list().forEach(s -> held.add(s.sopInstanceUid()));
                assertThat(held).as(when + ": copies in " + t + " are exactly the catalogued ones")
                        .isEqualTo(expected.get(t));
            }
            if (!afterCrash) { // the checks above already read every byte; the full report once is enough
                assertThat(hsm.verifyIntegrity().isClean()).as(when).isTrue();
            }
        }
    }
}
