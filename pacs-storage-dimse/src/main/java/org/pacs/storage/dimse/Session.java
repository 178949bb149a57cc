package org.pacs.storage.dimse;

import java.time.Instant;

import org.pacs.storage.StorageBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One established association as the services see it: who is calling, over which channel, into which archive. */
record Session(String callingAe, String calledAe, String remoteAddress, DimseChannel channel, StorageBackend archive,
               DimseConfig config, DimseAuditSink audit) {

    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    void record(String operation, String subject, int status, int completed, int failed, int warning) {
        try {
            audit.record(new DimseAuditSink.Event(Instant.now(), callingAe, calledAe, remoteAddress, operation,
                    subject, status, completed, failed, warning));
        } catch (RuntimeException e) {
            LOG.warn("DIMSE audit sink failed for {} from {}: {}", operation, callingAe, e.toString());
        }
    }

    String who() {
        return callingAe + "@" + remoteAddress;
    }
}
