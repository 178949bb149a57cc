package org.pacs.storage.cli;

import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;

/** Command-line UIDs: a malformed one is a usage error (exit 2), not a failed operation. */
final class Uids {

    private Uids() {
    }

    static SopInstanceUid parse(String text) {
        try {
            return SopInstanceUid.of(text);
        } catch (StorageException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }
}
