package org.pacs.storage.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.blob.Digests;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.testkit.SyntheticInstances;

/**
 * A real full file system: a 256 KiB tmpfs mounted for the test (needs root or CAP_SYS_ADMIN; skipped with the
 * reason otherwise). The kernel's ENOSPC, not a fake, must come back as OUT_OF_SPACE naming the tier, with no
 * spool file or partial blob left and the catalog unchanged.
 */
class HsmOutOfSpaceTest {

    @TempDir
    Path dir;

    private Path small;
    private boolean mounted;
    private HsmStorage hsm;

    @BeforeEach
    void mountSmallFileSystem() throws Exception {
        small = Files.createDirectories(dir.resolve("small"));
        String why = run("mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", small.toString());
        assumeTrue(why == null, "cannot mount a small tmpfs here (" + why + "); needs root or CAP_SYS_ADMIN");
        mounted = true;
    }

    @AfterEach
    void unmount() throws Exception {
        if (hsm != null) {
            hsm.close();
        }
        if (mounted) {
            run("umount", small.toString());
        }
    }

    /** Null when the command succeeded, else what it said. */
    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return e.getMessage();
        }
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return "timed out";
        }
        return p.exitValue() == 0 ? null : out + " (exit " + p.exitValue() + ")";
    }

    private HsmStorage open(StorageTier onSmall) {
        Map<StorageTier, BlobStore> tiers = new EnumMap<>(StorageTier.class);
        for (StorageTier t : StorageTier.values()) {
            tiers.put(t, HsmFixture.tier(t == onSmall ? small : dir, t));
        }
        hsm = new HsmStorage(tiers, JdbcInstanceCatalog.sqlite(dir.resolve("catalog.db")),
                HsmFixture.config(new TestClock(Instant.parse("2026-01-01T00:00:00Z"))));
        return hsm;
    }

    private static byte[] instance(int pixelBytes, long seed) {
        return SyntheticInstances.bytes(SyntheticInstances.header(), pixelBytes, seed);
    }

    @Test
    void aStoreIntoAFullFileSystemIsOutOfSpaceAndLeavesNothing() throws Exception {
        open(StorageTier.HOT);
        StoredInstance fits = hsm.store(new ByteArrayInputStream(instance(100_000, 1)));
        assertThatThrownBy(() -> hsm.store(new ByteArrayInputStream(instance(300_000, 2))))
                .isInstanceOfSatisfying(StorageException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.OUT_OF_SPACE);
                    assertThat(e.getMessage()).contains("hot tier").contains("no space left")
                            .contains("pacs-storage release");
                });
        try (var spool = Files.list(hsm.tierStore(StorageTier.HOT).spoolDir())) {
            // the live archive's store journal (intents-*.slots) stays; no spooled write (*.tmp) may
            assertThat(spool.filter(f -> f.getFileName().toString().endsWith(".tmp"))).as("the partial spool file was removed").isEmpty();
        }
        assertThat(hsm.list()).extracting(StoredInstance::sopInstanceUid).containsExactly(fits.sopInstanceUid());
        assertThat(TierView.of(hsm, StorageTier.HOT).list()).hasSize(1);
        try (InputStream in = hsm.open(fits.sopInstanceUid())) {
            assertThat(Digests.sha256(in)).isEqualTo(fits.sha256());
        }
        assertThat(hsm.verifyIntegrity().isClean()).isTrue();
    }

    @Test
    void aMigrationIntoAFullFileSystemFailsOutOfSpaceAndStaysPut() throws Exception {
        open(StorageTier.WARM);
        StoredInstance big = hsm.store(new ByteArrayInputStream(instance(300_000, 3)));
        var r = hsm.migrate(List.of(big.sopInstanceUid()), StorageTier.WARM);
        assertThat(r.failed()).containsKey(big.sopInstanceUid());
        assertThat(r.failed().get(big.sopInstanceUid()).reason()).isEqualTo(Reason.OUT_OF_SPACE);
        assertThat(hsm.getTier(big.sopInstanceUid())).contains(StorageTier.HOT);
        assertThat(TierView.of(hsm, StorageTier.WARM).list()).isEmpty();
        try (var spool = Files.list(hsm.tierStore(StorageTier.WARM).spoolDir())) {
            assertThat(spool).isEmpty();
        }
        assertThat(hsm.verifyIntegrity().isClean()).isTrue();
    }
}
