package org.pacs.storage.hsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.blob.Digests;
import org.pacs.storage.testkit.SyntheticInstances;

/**
 * Eight threads store (identical resends), retrieve and migrate the same instances in every direction at
 * once. Afterwards each instance exists exactly once, in the tier the catalog names, with its original bytes.
 */
class HsmConcurrencyTest {

    private static final int INSTANCES = 24;
    private static final int THREADS = 8;
    private static final int ROUNDS = 6;

    @TempDir
    Path dir;

    @Test
    void eightThreadsNeverLoseOrDuplicateAnInstance() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));
        List<byte[]> bytes = new ArrayList<>();
        List<StoredInstance> stored = new ArrayList<>();
        try (HsmStorage hsm = HsmFixture.open(dir, HsmFixture.config(clock))) {
            for (int i = 0; i < INSTANCES; i++) {
                byte[] b = SyntheticInstances.bytes(SyntheticInstances.header(), 1024, i);
                bytes.add(b);
                stored.add(hsm.store(new ByteArrayInputStream(b)));
            }
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            CountDownLatch start = new CountDownLatch(1);
            ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
            List<Future<?>> futures = new ArrayList<>();
            StorageTier[] tiers = StorageTier.values();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int round = 0; round < ROUNDS; round++) {
                        for (int i = 0; i < INSTANCES; i++) {
                            int idx = (i + thread * 3) % INSTANCES;
                            SopInstanceUid uid = stored.get(idx).sopInstanceUid();
                            try {
                                switch ((thread + round + i) % 3) {
                                    case 0 -> hsm.migrate(uid, tiers[(thread + round + i) % tiers.length]);
                                    case 1 -> {
                                        try (InputStream in = hsm.open(uid)) {
                                            String sha = Digests.sha256(in);
                                            if (!sha.equals(stored.get(idx).sha256())) {
                                                unexpected.add(new AssertionError("wrong bytes for " + uid));
                                            }
                                        }
                                    }
                                    default -> {
                                        StoredInstance again = hsm.store(new ByteArrayInputStream(bytes.get(idx)));
                                        if (!again.sha256().equals(stored.get(idx).sha256())) {
                                            unexpected.add(new AssertionError("resend changed " + uid));
                                        }
                                    }
                                }
                            } catch (Throwable e) {
                                unexpected.add(e);
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(5, TimeUnit.MINUTES);
            }
            pool.shutdown();
            assertThat(unexpected).as("no operation failed").isEmpty();

            Map<StorageTier, Set<SopInstanceUid>> expected = new EnumMap<>(StorageTier.class);
            for (StorageTier t : tiers) {
                expected.put(t, new HashSet<>());
            }
            for (CatalogEntry e : hsm.catalog().list()) {
                expected.get(e.tier()).add(e.instance().sopInstanceUid());
            }
            assertThat(hsm.list()).hasSize(INSTANCES);
            assertThat(hsm.statistics().totalInstances()).isEqualTo(INSTANCES);
            for (StorageTier t : tiers) {
                Set<SopInstanceUid> held = new HashSet<>();
                TierView.of(hsm, t).list().forEach(s -> held.add(s.sopInstanceUid()));
                assertThat(held).as("copies in " + t).isEqualTo(expected.get(t));
            }
            for (StoredInstance s : stored) {
                try (InputStream in = hsm.open(s.sopInstanceUid())) {
                    assertThat(Digests.sha256(in)).isEqualTo(s.sha256());
                }
            }
            assertThat(hsm.verifyIntegrity().isClean()).isTrue();
        }
    }
}
