package org.pacs.storage.dimse;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.pacs.storage.StorageBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One established association as the services see it: who is calling (AE title, and the user its identity
 * negotiation named, "" when none), over which channel, into which archive.
 */
record Session(String callingAe, String calledAe, String user, String remoteAddress, DimseChannel channel,
               StorageBackend archive, DimseConfig config, DimseAuditSink audit, Map<String, int[]> counts) {

    Session(String callingAe, String calledAe, String user, String remoteAddress, DimseChannel channel,
            StorageBackend archive, DimseConfig config, DimseAuditSink audit) {
        this(callingAe, calledAe, user, remoteAddress, channel, archive, config, audit, new TreeMap<>());
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
