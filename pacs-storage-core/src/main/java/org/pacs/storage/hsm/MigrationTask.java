package org.pacs.storage.hsm;

import java.util.Objects;

/** One instance claimed by this node for a move to {@code target}. */
public record MigrationTask(TierMetadata metadata, StorageTier target) {

    public MigrationTask {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(target, "target");
    }
}
