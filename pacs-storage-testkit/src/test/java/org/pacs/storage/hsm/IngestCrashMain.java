package org.pacs.storage.hsm;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.blob.BlobStore;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.file.FileBlobStore;
import org.pacs.storage.file.FileStorageConfig;
import org.pacs.storage.testkit.SyntheticInstances;

/**
 * The forked JVM of {@link IngestCrashTest}: stores {@code args[1]} new instances with 8 threads into the
 * archive under {@code args[0]} (local tiers with fsync, SQLite), printing {@code STORED uid sha256} only once a
 * store has returned, i.e. once the archive reported it stored. {@code -Dpacs.hsm.crashAt=ingest-put} halts it
 * between a put (file forced and renamed) and its group commit; the test may also kill it with SIGKILL.
 */
public final class IngestCrashMain {

    static final int THREADS = 8;

    private IngestCrashMain() {
    }

    static HsmStorage open(Path dir) {
        Map<StorageTier, BlobStore> tiers = new EnumMap<>(StorageTier.class);
        for (StorageTier t : StorageTier.values()) {
            tiers.put(t, new FileBlobStore(FileStorageConfig.of(dir.resolve(t.name().toLowerCase()))));
        }
        return new HsmStorage(tiers, JdbcInstanceCatalog.sqlite(dir.resolve("catalog.db")),
                HsmStorageConfig.defaults().withFaultHook(HsmCrashRecoveryTest.crashHookFromProperties()));
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (HsmStorage hsm = open(dir)) {
            System.out.println("OPEN");
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                all.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        // sizes vary so a torn write would show as a wrong hash or length
                        try (InputStream in = SyntheticInstances.stream(SyntheticInstances.header(),
                                2_000 + (i % 50) * 1_000, i)) {
                            StoredInstance s = hsm.store(in);
                            System.out.println("STORED " + s.sopInstanceUid() + " " + s.sha256());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        System.out.println("DONE");
        System.exit(0);
    }
}
