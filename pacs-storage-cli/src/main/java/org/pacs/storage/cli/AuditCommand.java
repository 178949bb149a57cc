package org.pacs.storage.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.pacs.storage.cli.config.Units;
import org.pacs.storage.security.AccessEvent;
import org.pacs.storage.security.AccessEventQuery;
import org.pacs.storage.security.SecurityStorage;
import org.pacs.storage.security.SqliteSecurityStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Prints the access trail the network services (DICOMweb) write to the security database: who stored, read or
 * deleted which study, from where, with what outcome. Oldest first.
 */
@Command(name = "audit", description = "Prints who stored, read or deleted patient data through DICOMweb.")
final class AuditCommand implements Callable<Integer> {

    @ParentCommand
    PacsStorageCli root;

    @Option(names = "--user", paramLabel = "USERNAME", description = "Only this user's accesses.")
    String user;

    @Option(names = "--study", paramLabel = "UID", description = "Only accesses to this study.")
    String study;

    @Option(names = "--since", paramLabel = "DURATION", description = "Only the last DURATION, e.g. 1d, 12h.")
    String since;

    @Option(names = "--limit", paramLabel = "N", description = "At most the newest N rows (default: all).")
    int limit;

    @Override
    public Integer call() {
        Instant from = null;
        if (since != null) {
            try {
                Duration d = Units.parseDuration(since);
                from = Instant.now().minus(d);
            } catch (IllegalArgumentException e) {
                throw new UsageException("--since: " + e.getMessage(), e);
            }
        }
        if (limit < 0) {
            throw new UsageException("--limit must be 0 (all) or positive.");
        }
        Path db = Path.of(root.config().security().database());
        List<AccessEvent> events;
        try (SecurityStorage s = new SqliteSecurityStorage(db)) {
            events = s.accessEvents(new AccessEventQuery(user, study, from, limit));
        }
        root.print(events.stream().map(e -> Json.object("sequence", e.sequence(), "at", e.at(), "user",
                e.username(), "address", e.address(), "action", e.action(), "study", e.studyUid(), "outcome",
                e.outcome())).toList(),
                String.join("\n", events.stream().map(e -> String.format("%s  %-16s %-15s %-16s %-40s %s", e.at(),
                        e.username(), e.address(), e.action(), e.studyUid().isEmpty() ? "-" : e.studyUid(),
                        e.outcome())).toList()));
        return PacsStorageCli.OK;
    }
}
