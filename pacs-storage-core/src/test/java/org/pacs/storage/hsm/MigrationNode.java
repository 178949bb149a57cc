package org.pacs.storage.hsm;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;

/**
 * One node of {@link MultiNodeMigrationTest}, run in its own JVM: an HSM on the shared PostgreSQL catalog with
 * this node's own hot and warm roots, and a migration service. It logs every instance it copies into warm,
 * prints READY, waits for GO on stdin, runs cycles until one finds nothing, prints DONE and exits.
 * <p>Arguments: jdbcUrl user password hotRoot warmRoot nodeId logFile nowEpochMillis
 */
public final class MigrationNode {

    private MigrationNode() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String password = args[2];
        Path hotRoot = Path.of(args[3]);
        String nodeId = args[5];
        Path logFile = Path.of(args[6]);
        Clock clock = Clock.fixed(Instant.ofEpochMilli(Long.parseLong(args[7])), ZoneOffset.UTC);

        FileStorage hot = new FileStorage(FileStorageConfig.of(hotRoot).withFsync(false));
        HookedBackend warm = new HookedBackend(warmBackend(args[4]));
        BufferedWriter log = Files.newBufferedWriter(logFile, StandardCharsets.US_ASCII);
        warm.afterStore(i -> {
            synchronized (log) {
                try {
                    log.write(i.sopInstanceUid().value());
                    log.newLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
        HsmStorageConfig hsmConfig = HsmStorageConfig.defaults().withClock(clock).withNodeId(nodeId)
                .withPolicy(TierPolicy.DEFAULT.withMaxInstancesPerCycle(100_000));
        BlockingQueue<MigrationResult> cycles = new LinkedBlockingQueue<>();
        try (HsmStorage hsm = new HsmStorage(hot, warm, null, JdbcInstanceCatalog.postgres(url, user, password, 6),
                hsmConfig);
             HsmMigrationService service = new HsmMigrationService(hsm, MigrationServiceConfig.defaults()
                     .withMaxConcurrentMigrations(4).withMigrationInterval(Duration.ofDays(1))
                     .withOnCycleComplete(cycles::add))) {
            System.out.println("READY");
            System.out.flush();
            String go = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine();
            if (!"GO".equals(go)) {
                throw new IllegalStateException("expected GO, got " + go);
            }
            service.start(); // the first cycle runs at once
            while (true) {
                MigrationResult r = cycles.poll(120, TimeUnit.SECONDS);
                if (r == null) {
                    throw new IllegalStateException("no cycle completed within 120 s");
                }
                if (r.totalProcessed() == 0) {
                    break;
                }
                service.triggerCycle();
            }
            service.stop(true);
            System.out.println("DONE migrated=" + service.cumulativeStats().instancesMigrated() + " failed="
                    + service.failedAttempts());
        } finally {
            synchronized (log) {
                log.close();
            }
        }
    }

    /**
     * The shared warm tier: a file root, or {@code spi:TYPE;key=value;...} for any registered backend (an S3
     * bucket in the bench module's variant), built through its provider like the CLI does.
     */
    static org.pacs.storage.StorageBackend warmBackend(String spec) {
        if (!spec.startsWith("spi:")) {
            return new FileStorage(FileStorageConfig.of(Path.of(spec)).withFsync(false));
        }
        String[] parts = spec.substring(4).split(";");
        java.util.Map<String, String> settings = new java.util.LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            settings.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
        }
        return org.pacs.storage.spi.StorageBackendProvider.forType(parts[0]).create(settings);
    }
}
