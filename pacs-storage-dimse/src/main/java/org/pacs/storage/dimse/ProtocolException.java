package org.pacs.storage.dimse;

/**
 * The peer broke PS3.8 or PS3.7: the association is aborted with the given A-ABORT reason (source 2, service
 * provider). Never shown to the peer as text; the message goes to the log.
 */
final class ProtocolException extends Exception {

    /** PS3.8 table 9-26 A-ABORT reasons. */
    static final int UNRECOGNIZED_PDU = 1;
    static final int UNEXPECTED_PDU = 2;
    static final int UNRECOGNIZED_PARAMETER = 4;
    static final int UNEXPECTED_PARAMETER = 5;
    static final int INVALID_PARAMETER = 6;

    private final int reason;

    ProtocolException(int reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    int reason() {
        return reason;
    }
}
