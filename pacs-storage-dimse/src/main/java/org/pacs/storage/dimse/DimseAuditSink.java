package org.pacs.storage.dimse;

import java.time.Instant;

/**
 * Where the server reports each association and operation for auditing. The audit table belongs to the security
 * module; whoever starts the server wires a sink that writes it. Called on the association's thread after the
 * operation, so a sink should be quick; an exception it throws is logged and does not affect the peer.
 */
@FunctionalInterface
public interface DimseAuditSink {

    DimseAuditSink NONE = event -> { };

    void record(Event event);

    /**
     * @param operation ASSOCIATE, REJECT, RELEASE, ABORT, C-ECHO, C-STORE, C-FIND, C-GET or C-MOVE
     * @param subject   what the operation concerned: the SOP Instance UID stored, the query level and keys, the
     *                  move destination; empty for association events
     * @param status    the DIMSE status sent (0 success), or for REJECT/ABORT the PS3.8 reason
     * @param completed sub-operations (C-GET, C-MOVE) or matches (C-FIND) completed
     * @param failed    sub-operations failed
     * @param warning   sub-operations with a warning
     * @param user      the user the association's identity negotiation named (PS3.7 D.3.3.7), verified against
     *                  the security database; "" when the peer sent none
     */
    record Event(Instant at, String callingAe, String calledAe, String remoteAddress, String operation, String subject,
                 int status, int completed, int failed, int warning, String user) {
    }
}
