package org.pacs.storage.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.RestoreStatus;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.blob.Digests;
import org.pacs.storage.testkit.SyntheticInstances;

/**
 * Archive tiers: warm and cold share one archival backend and move by changing its class in place; reading an
 * archived instance asks for one restore and says ARCHIVED until the provider has restored it. The archive
 * behaviour comes from {@link ArchivingFileBackend} (see there why no emulator can provide it).
 */
class HsmArchiveTest {

    @TempDir
    Path dir;

    HsmStorage hsm;
    ArchivingFileBackend archive;

    @AfterEach
    void close() {
        if (hsm != null) {
            hsm.close();
        }
    }

    private void open() {
        archive = new ArchivingFileBackend(dir.resolve("archive"));
        Map<StorageTier, org.pacs.storage.blob.BlobStore> tiers = new EnumMap<>(StorageTier.class);
        tiers.put(StorageTier.HOT, HsmFixture.tier(dir, StorageTier.HOT));
        tiers.put(StorageTier.WARM, archive);
        tiers.put(StorageTier.COLD, archive);
        HsmStorageConfig cfg = HsmFixture.config(new TestClock(Instant.parse("2026-01-01T00:00:00Z")))
                .withInPlaceClass(StorageTier.WARM, "STANDARD")
                .withInPlaceClass(StorageTier.COLD, ArchivingFileBackend.ARCHIVE);
        hsm = new HsmStorage(tiers, JdbcInstanceCatalog.sqlite(dir.resolve("catalog.db")), cfg);
    }

    @Test
    void coldIsAClassChangeInPlaceAndReadsNeedOneRestore() throws Exception {
        open();
        StoredInstance s = hsm.store(new ByteArrayInputStream(
                SyntheticInstances.bytes(SyntheticInstances.header(), 2048, 1)));
        SopInstanceUid uid = s.sopInstanceUid();
        hsm.migrate(uid, StorageTier.WARM);
        assertThat(archive.storageClass(archive.keyFor(hsm.describe(uid).orElseThrow()))).isEqualTo("STANDARD");
        hsm.migrate(uid, StorageTier.COLD);
        assertThat(hsm.getTier(uid)).contains(StorageTier.COLD);
        assertThat(archive.storageClass(archive.keyFor(hsm.describe(uid).orElseThrow()))).as("changed in place").isEqualTo(ArchivingFileBackend.ARCHIVE);
        assertThat(archive.holds(uid)).as("the one copy was not deleted as a 'source'").isTrue();

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> hsm.open(uid)).isInstanceOfSatisfying(StorageException.class, e -> {
                assertThat(e.reason()).isEqualTo(StorageException.Reason.ARCHIVED);
                assertThat(e.getMessage()).contains(RestoreStatus.State.IN_PROGRESS.name());
            });
        }
        assertThat(archive.restoreRequests).as("one restore, not one per read").hasValue(1);
        archive.completeRestore(uid);
        try (InputStream in = hsm.open(uid)) {
            assertThat(Digests.sha256(in)).isEqualTo(s.sha256());
        }
        // recall to hot copies the (restored) bytes out of the archive
        hsm.migrate(uid, StorageTier.HOT);
        assertThat(hsm.getTier(uid)).contains(StorageTier.HOT);
        assertThat(archive.holds(uid)).isFalse();
        assertThat(hsm.verifyIntegrity().isClean()).isTrue();
    }

    @Test
    void recallOfAnArchivedInstanceRequestsARestoreAndLeavesItCold() {
        open();
        StoredInstance s = hsm.store(new ByteArrayInputStream(
                SyntheticInstances.bytes(SyntheticInstances.header(), 512, 2)));
        SopInstanceUid uid = s.sopInstanceUid();
        hsm.migrate(uid, StorageTier.WARM);
        hsm.migrate(uid, StorageTier.COLD);
        assertThatThrownBy(() -> hsm.migrate(uid, StorageTier.HOT)).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.reason()).isEqualTo(StorageException.Reason.ARCHIVED));
        assertThat(archive.restoreRequests).hasValue(1);
        assertThat(hsm.getTier(uid)).contains(StorageTier.COLD);
        assertThat(TierView.of(hsm, StorageTier.HOT).exists(uid)).isFalse();
        archive.completeRestore(uid);
        assertThat(hsm.migrate(uid, StorageTier.HOT)).isTrue();
    }

    @Test
    void twoTiersOnOneBackendWithoutClassesAreRefused() {
        archive = new ArchivingFileBackend(dir.resolve("archive"));
        Map<StorageTier, org.pacs.storage.blob.BlobStore> tiers = new EnumMap<>(StorageTier.class);
        tiers.put(StorageTier.HOT, archive);
        tiers.put(StorageTier.COLD, archive);
        assertThatThrownBy(() -> new HsmStorage(tiers, JdbcInstanceCatalog.sqlite(dir.resolve("c.db")),
                HsmStorageConfig.defaults())).isInstanceOfSatisfying(StorageException.class,
                        e -> assertThat(e.reason()).isEqualTo(StorageException.Reason.INVALID_INPUT));
        archive.close();
    }
}
