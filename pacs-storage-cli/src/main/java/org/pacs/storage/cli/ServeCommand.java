package org.pacs.storage.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.pacs.storage.cli.config.MigrationConfig;
import org.pacs.storage.cli.config.Units;
import org.pacs.storage.dicomweb.DicomWebServer;
import org.pacs.storage.dimse.DimseAuditSink;
import org.pacs.storage.security.AuditWriter;
import org.pacs.storage.dimse.DimseServer;
import org.pacs.storage.hsm.HsmMigrationService;
import org.pacs.storage.hsm.MigrationServiceConfig;
import org.pacs.storage.security.AccessEvent;
import org.pacs.storage.security.SecurityStorage;
import org.pacs.storage.security.SqliteSecurityStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * Runs the archive's services in the foreground: the migration service always, the DIMSE listener when the
 * configuration has a {@code dimse} section, the DICOMweb server when it has a {@code dicomweb} section. SIGTERM
 * and SIGINT start the JVM's shutdown; the hook first stops the network faces (no new work arrives, running
 * requests finish), then the migration service waiting for in-flight migrations to commit, then closes the
 * archive, so a stop never leaves a store or a migration half done.
 */
@Command(name = "serve", description = "Runs the migration service, and the DIMSE and DICOMweb servers when"
        + " configured, in the foreground until SIGTERM or SIGINT, then stops cleanly once in-flight work has"
        + " committed.")
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
        List<AutoCloseable> faces = new ArrayList<>();
        SecurityStorage security = null;
        HsmMigrationService service;
        try {
            boolean network = root.config().dimseSection().isPresent() || root.config().dicomwebSection().isPresent();
            if (network) {
                // users, roles and the audit trail of every access to patient data
                security = new SqliteSecurityStorage(Path.of(root.config().security().database()));
            }
            SecurityStorage audit = security;
            var dimse = root.config().dimseSection();
            if (dimse.isPresent()) {
                // the security database also checks the users that DIMSE peers name (User Identity negotiation)
                // rows of concurrent associations share one commit; closed after the server (faces close in reverse)
                AuditWriter dimseAudit = new AuditWriter(audit);
                faces.add(dimseAudit);
                DimseServer s = new DimseServer(dimse.get(), archive.storage(), auditTo(dimseAudit), security).start();
                faces.add(s);
                log("DIMSE: AE title " + dimse.get().aeTitle() + " on " + dimse.get().bind() + ":" + s.port());
            }
            var web = root.config().dicomwebSection();
            if (web.isPresent()) {
                DicomWebServer s = new DicomWebServer(web.get(), archive.storage(), audit).start();
                faces.add(s);
                log("DICOMweb: " + s.baseUrl());
            }
            service = new HsmMigrationService(archive.hsm(), config);
        } catch (RuntimeException e) {
            closeAll(faces);
            closeQuietly(security);
            archive.close();
            throw e;
        }
        SecurityStorage openedSecurity = security;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log("stopping: closing the network services, then waiting for in-flight migrations to commit");
            try {
                closeAll(faces);
                service.stop(true);
                archive.close();
                closeQuietly(openedSecurity);
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

    /**
     * DIMSE stores and retrievals (and queries) go to the audit table, as DICOMweb's requests do: under the user
     * the association's identity named, else under the calling AE title. Queued, not awaited: the response has
     * gone out already, and the association's next operation should not wait for the audit flush.
     */
    private static DimseAuditSink auditTo(AuditWriter audit) {
        return e -> {
            switch (e.operation()) {
                case "C-STORE", "C-FIND", "C-GET", "C-MOVE" -> audit.submit(java.util.List.of(AccessEvent.of(e.at(),
                        e.user().isEmpty() ? "AE " + e.callingAe() : e.user(), e.remoteAddress(), e.operation(), "",
                        String.format("%04X %s completed=%d failed=%d%s", e.status(), e.subject(), e.completed(),
                                e.failed(), e.user().isEmpty() ? "" : " AE " + e.callingAe()))));
                default -> { }
            }
        };
    }

    private static void closeAll(List<AutoCloseable> faces) {
        for (int i = faces.size() - 1; i >= 0; i--) {
            closeQuietly(faces.get(i));
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // stopping: the next close must still run
        }
    }

    private synchronized void log(String line) {
        root.out().println(java.time.Instant.now() + " " + line);
        root.out().flush();
    }
}
