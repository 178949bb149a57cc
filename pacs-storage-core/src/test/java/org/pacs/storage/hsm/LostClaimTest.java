package org.pacs.storage.hsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pacs.storage.ForwardingStorageBackend;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.catalog.MigrationState;
import org.pacs.storage.dicom.UidGenerator;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;

/**
 * Two nodes on one catalog and the same tiers, with a copy on node A that takes longer than a claim lease. A
 * running copy keeps its claim; and should A's claim still be lost, A's rollback must not remove the copy that
 * node B has by then committed, which after B deletes the source is the only one.
 */
class LostClaimTest {

    /** Short enough for the renewals (every third of it, in real time) to run within the test. */
    private static final Duration LEASE = Duration.ofMillis(600);
    /** So long that no renewal runs within the test: node A stalls, as in a long GC pause or a catalog outage. */
    private static final Duration STALLED_LEASE = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(HsmTestBed.T0);
    private FileStorage hot;
    private HookedBackend warm;
    private HsmStorage a;
    private HsmStorage b;

    private void twoNodes(Duration lease) {
        hot = new FileStorage(FileStorageConfig.of(dir.resolve("hot")).withFsync(false));
        warm = new HookedBackend(new FileStorage(FileStorageConfig.of(dir.resolve("warm")).withFsync(false)));
        HsmStorageConfig config = HsmStorageConfig.defaults().withClock(clock).withClaimLease(lease);
        Path db = dir.resolve("catalog.db");
        a = new HsmStorage(hot, warm, null, JdbcInstanceCatalog.sqlite(db), config.withNodeId("a"));
        b = new HsmStorage(new Shared(hot), new Shared(warm), null, JdbcInstanceCatalog.sqlite(db),
                config.withNodeId("b"));
    }

    @AfterEach
    void close() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    @ParameterizedTest(name = "batch = {0}")
    @ValueSource(booleans = {false, true})
    void aRunningCopyRenewsItsClaimSoNoOtherNodeTakesItOver(boolean batch) throws IOException {
        twoNodes(LEASE);
        SopInstanceUid uid = storeOne();
        Instant firstLease = clock.instant().plus(LEASE);
        AtomicBoolean held = new AtomicBoolean();
        warm.hook(part10 -> { // node A's copy, still running when its first lease would have run out
            clock.advance(LEASE.minusMillis(100));
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    a.catalog().get(uid).orElseThrow().leaseExpiry().isAfter(firstLease));
            clock.advance(Duration.ofMillis(200));
            assertThat(clock.instant()).isAfter(firstLease);
            assertThatThrownBy(() -> b.migrate(uid, StorageTier.WARM)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("being moved by node 'a'");
            held.set(true);
        });

        if (batch) {
            assertThat(a.migrate(List.of(uid), StorageTier.WARM).moved()).containsExactly(uid);
        } else {
            assertThat(a.migrate(uid, StorageTier.WARM)).isTrue();
        }
        assertThat(held).isTrue();
        assertThat(a.getTier(uid)).contains(StorageTier.WARM);
        assertThat(hot.exists(uid)).isFalse();
    }

    @ParameterizedTest(name = "batch = {0}")
    @ValueSource(booleans = {false, true})
    void aNodeThatLostItsClaimLeavesTheNewOwnersCopyAlone(boolean batch) throws IOException {
        twoNodes(STALLED_LEASE);
        SopInstanceUid uid = storeOne();
        byte[] original = bytes(a, uid);
        AtomicBoolean first = new AtomicBoolean(true);
        warm.hook(part10 -> {
            if (first.getAndSet(false)) { // node A's copy: its lease runs out, node B takes the row over
                clock.advance(STALLED_LEASE.multipliedBy(2));
                assertThat(b.migrate(uid, StorageTier.WARM)).isTrue();
                throw StorageException.unavailable("node A's copy failed after node B took over", null);
            }
        });

        if (batch) {
            assertThat(a.migrate(List.of(uid), StorageTier.WARM).failed()).containsKey(uid);
        } else {
            assertThatThrownBy(() -> a.migrate(uid, StorageTier.WARM)).isInstanceOf(StorageException.class);
        }

        assertThat(first).isFalse();
        assertThat(a.catalog().get(uid).orElseThrow().migrationState()).isEqualTo(MigrationState.NONE);
        assertThat(a.getTier(uid)).contains(StorageTier.WARM);
        assertThat(hot.exists(uid)).as("node B deleted the hot copy").isFalse();
        assertThat(warm.exists(uid)).as("the only copy left").isTrue();
        assertThat(bytes(a, uid)).isEqualTo(original);
    }

    private SopInstanceUid storeOne() {
        return a.store(HsmTestBed.instance(UidGenerator.newUid(), UidGenerator.newUid(), 1)).sopInstanceUid();
    }

    private static byte[] bytes(StorageBackend s, SopInstanceUid uid) throws IOException {
        try (InputStream in = s.open(uid)) {
            return in.readAllBytes();
        }
    }

    /** Node B's view of the same tier objects; node A closes them (one FileStorage per root and process). */
    /** The same blob store as another node's, not closed by this node. */
    private static final class Shared extends ForwardingStorageBackend implements org.pacs.storage.blob.BlobBacked {
        Shared(StorageBackend delegate) {
            super(delegate);
        }

        @Override
        public org.pacs.storage.blob.BlobStore blobStore() {
            org.pacs.storage.blob.BlobStore real = ((org.pacs.storage.blob.BlobBacked) delegate()).blobStore();
            return (org.pacs.storage.blob.BlobStore) java.lang.reflect.Proxy.newProxyInstance(
                    real.getClass().getClassLoader(), new Class<?>[] {org.pacs.storage.blob.BlobStore.class},
                    (proxy, m, args) -> m.getName().equals("close") ? null : invoke(m, real, args));
        }

        private static Object invoke(java.lang.reflect.Method m, Object target, Object[] args) throws Throwable {
            try {
                return m.invoke(target, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        }

        @Override
        public void close() {
        }
    }
}
