package org.pacs.storage.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.pacs.storage.cli.config.MigrationConfig;
import org.pacs.storage.cli.config.Units;
import org.pacs.storage.hsm.HsmMigrationService;
import org.pacs.storage.hsm.MigrationServiceConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * Runs the migration service in the foreground. SIGTERM and SIGINT start the JVM's shutdown; the hook stops the
 * service waiting for in-flight migrations to commit, then closes the archive, so a stop never leaves a
 * migration half done (and one that is, after a kill -9, is resumed or rolled back at the next start).
 */
@Command(name = "serve", description = "Runs the migration service in the foreground until SIGTERM or SIGINT, then"
        + " stops cleanly once in-flight migrations have committed.")
final class ServeCommand implements Callable<Integer> {

    @ParentCommand
    PacsStorageCli root;

    @Override
    public Integer call() throws InterruptedException {
        Archive archive = root.openArchive();
        MigrationConfig m = root.config().migration();
        AtomicLong cycles = new AtomicLong();
        MigrationServiceConfig config = MigrationServiceConfig.defaults()
                .withMigrationInterval(m.migrationInterval())
                .withMaxConcurrentMigrations(m.maxConcurrentMigrations())
                .withOnCycleComplete(r -> log("cycle " + cycles.incrementAndGet() + ": "
                        + Archive.describeCycle(Archive.json(r))))
                .withOnMigrationError((uid, error) -> log("migration of " + uid + " failed: "
                        + PacsStorageCli.oneLine(error)));
        HsmMigrationService service = new HsmMigrationService(archive.hsm(), config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("stopping: waiting for in-flight migrations to commit");
            try {
                service.stop(true);
                archive.close();
                log("stopped cleanly after " + cycles.get() + " cycles");
            } finally {
                stopped.countDown();
            }
        }, "pacs-storage-shutdown"));
        service.start();
        log("serving: migration cycle every " + Units.formatDuration(m.migrationInterval())
                + ", up to " + m.maxConcurrentMigrations() + " migrations at a time; stop with Ctrl-C or"
                + " SIGTERM");
        stopped.await();
        return PacsStorageCli.OK;
    }

    private synchronized void log(String line) {
        root.out().println(java.time.Instant.now() + " " + line);
        root.out().flush();
    }
}
