package org.pacs.storage.dimse;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.pacs.storage.StorageBackend;
import org.pacs.storage.security.AccessControl;
import org.pacs.storage.security.Action;
import org.pacs.storage.security.ResourceType;
import org.pacs.storage.security.User;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One established association as the services see it: who is calling (AE title, and the user its identity
 * negotiation named, "" when none, with the verified {@code account} and its roles, null when none), over which
 * channel, into which archive.
 */
record Session(String callingAe, String calledAe, String user, User account, String remoteAddress,
               DimseChannel channel, StorageBackend archive, DimseConfig config, DimseAuditSink audit,
               Map<String, int[]> counts) {

    Session(String callingAe, String calledAe, String user, User account, String remoteAddress, DimseChannel channel,
            StorageBackend archive, DimseConfig config, DimseAuditSink audit) {
        this(callingAe, calledAe, user, account, remoteAddress, channel, archive, config, audit, new TreeMap<>());
    }

    /** A session before or without an association (rejections, aborts): anonymous, no channel. */
    Session(String callingAe, String calledAe, String remoteAddress, StorageBackend archive, DimseConfig config,
            DimseAuditSink audit) {
        this(callingAe, calledAe, "", null, remoteAddress, null, archive, config, audit);
    }

    /**
     * Why the association's user may not do {@code action} to studies, or empty when it may. An anonymous peer (no
     * user identity, which {@code require-user-identity} can forbid) is trusted by its AE title as DIMSE peers are;
     * a verified user is held to its roles, as DICOMweb holds it.
     */
    java.util.Optional<String> denied(Action action) {
        if (account == null || AccessControl.allows(account, ResourceType.STUDY, action)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("user '" + user + "' (roles " + account.roles() + ") may not "
                + action.name().toLowerCase(java.util.Locale.ROOT) + " studies; ask an administrator for a role"
                + " that grants it");
    }

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    void record(String operation, String subject, int status, int completed, int failed, int warning) {
        if (operation.startsWith("C-")) {
            int[] c = counts.computeIfAbsent(operation, k -> new int[2]);
            c[status == 0 ? 0 : 1]++;
        }
        try {
            audit.record(new DimseAuditSink.Event(Instant.now(), callingAe, calledAe, remoteAddress, operation,
                    subject, status, completed, failed, warning, user));
        } catch (RuntimeException e) {
            LOG.warn("DIMSE audit sink failed for {} from {}: {}", operation, callingAe, e.toString());
        }
    }

    /** "C-STORE 120 (2 failed), C-FIND 3" for the association's closing log line. */
    String summary() {
        if (counts.isEmpty()) {
            return "no operations";
        }
        StringBuilder b = new StringBuilder();
        counts.forEach((op, c) -> b.append(b.length() == 0 ? "" : ", ").append(op).append(' ').append(c[0] + c[1])
                .append(c[1] == 0 ? "" : " (" + c[1] + " not successful)"));
        return b.toString();
    }

    String who() {
        return (user.isEmpty() ? "" : user + " as ") + callingAe + "@" + remoteAddress;
    }
}
