package org.pacs.storage.hsm.service;

import java.util.Objects;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.hsm.StorageTier;

/** One claimed instance to move from one tier to another; {@code sizeBytes} counts towards the cycle's budget. */
public record MigrationTask(SopInstanceUid uid, StorageTier from, StorageTier to, long sizeBytes) {

    public MigrationTask {
        Objects.requireNonNull(uid, "uid");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from == to) {
            throw new IllegalArgumentException("from and to are both " + from);
        }
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("sizeBytes < 0");
        }
    }
}
