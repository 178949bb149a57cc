package org.pacs.storage.bench;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.pacs.storage.file.FileStorageConfig;

/**
 * The archive's own store path, in process (no protocol, no JVM start): instances per second at 1, 4 and 16
 * threads into the embedded file archive with fsync on, so a change to the store path is measured without the
 * noise of a network face. Args: count, bytes per instance.
 */
public final class StorePathBench {

    private StorePathBench() {
    }

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int bytes = args.length > 1 ? Integer.parseInt(args[1]) : 39_000;
        Path work = Files.createTempDirectory(Path.of(System.getProperty("bench.dir", "/work")), "storepath-");
        try {
            List<Path> files = DimseBench.generate(work.resolve("in"), count, bytes);
            System.out.printf(Locale.ROOT, "%d instances of %d bytes%n", count, bytes);
            for (String th : System.getProperty("bench.threads", "1,4,16").split(",")) {
                int threads = Integer.parseInt(th.trim());
                Path dir = work.resolve("archive-" + threads);
                Path plain = work.resolve("floor-" + threads);
                double floor = floor(plain, files, threads);
                CloudBench.deleteTree(plain);
                System.out.printf(Locale.ROOT, "%2d threads: %7.0f instances/s  durable-write floor%n", threads, floor);
                String catalogAt = System.getProperty("bench.catalog");
                try (org.pacs.storage.hsm.HsmStorage archive = fileArchive(dir, catalogAt != null
                        ? Path.of(catalogAt + threads) : dir.resolve(".pacs-catalog.db"))) {
                    double rate = run(archive, files, threads);
                    var g = archive.ingestStatistics();
                    System.out.printf(Locale.ROOT, "%2d threads: %7.0f instances/s  store, %.2f x floor (%.1f"
                            + " stores per catalog transaction, largest %d; %d directory-sync rounds)%n", threads, rate,
                            rate / floor,
                            g.storesPerTransaction(), g.largestTransaction(), g.syncRounds());
                }
                CloudBench.deleteTree(dir);
            }
        } finally {
            CloudBench.deleteTree(work);
        }
    }

    /**
     * The durable-write floor: per file, read it, write a temp file, force it, rename it into a study/series
     * directory and force that directory; no parsing, no hash, no index.
     */
    static double floor(Path dir, List<Path> files, int threads) throws Exception {
        Path tmp = dir.resolve(".tmp");
        Path target = dir.resolve("study").resolve("series");
        Files.createDirectories(tmp);
        Files.createDirectories(target);
        return files.size() / CloudBench.seconds(files.size(), threads, i -> {
            IngestPaths.writeDurably(Files.readAllBytes(files.get(i)), tmp.resolve(i + ".tmp"),
                    target.resolve(i + ".dcm"));
        });
    }

    /** The embedded store path: a file hot tier with fsync under {@code hot}, the SQLite catalog at {@code catalog}. */
    static org.pacs.storage.hsm.HsmStorage fileArchive(Path hot, Path catalog) {
        return new org.pacs.storage.hsm.HsmStorage(java.util.Map.of(org.pacs.storage.hsm.StorageTier.HOT,
                new org.pacs.storage.file.FileBlobStore(FileStorageConfig.of(hot))),
                org.pacs.storage.catalog.JdbcInstanceCatalog.sqlite(catalog),
                org.pacs.storage.hsm.HsmStorageConfig.defaults());
    }

    static double run(org.pacs.storage.StorageBackend archive, List<Path> files, int threads) throws Exception {
        return files.size() / CloudBench.seconds(files.size(), threads, i -> {
            try (InputStream in = Files.newInputStream(files.get(i))) {
                archive.store(in);
            }
        });
    }
}
