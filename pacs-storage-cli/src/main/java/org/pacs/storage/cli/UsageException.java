package org.pacs.storage.cli;

import org.pacs.storage.StorageException;

/**
 * The command line or the configuration is wrong, as opposed to an operation failing: the command exits with 2
 * instead of 1, so scripts can tell "fix your invocation" from "retry or investigate".
 */
public class UsageException extends StorageException {

    public UsageException(String message) {
        super(Reason.INVALID_INPUT, message);
    }

    public UsageException(String message, Throwable cause) {
        super(Reason.INVALID_INPUT, message, cause);
    }
}
