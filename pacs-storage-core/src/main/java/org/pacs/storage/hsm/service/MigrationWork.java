package org.pacs.storage.hsm.service;

import java.util.List;
import java.util.Set;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.hsm.StorageTier;

/**
 * What a migration cycle needs from hierarchical storage. The one implementation, {@link HsmMigrationWork},
 * speaks to {@code HsmStorage}; the seam keeps the cycle's concurrency and bookkeeping apart from the catalog.
 */
public interface MigrationWork {

    /** A tier-to-tier move the policy knows, in the order a cycle works through them. */
    record Direction(StorageTier from, StorageTier to) { }

    List<Direction> directions();

    /**
     * Claims up to {@code limit} policy candidates for {@code direction} that no live claim holds, oldest first,
     * skipping {@code exclude}. Other nodes never get a claimed instance until it is released or its lease ends.
     */
    List<MigrationTask> claim(Direction direction, int limit, Set<SopInstanceUid> exclude);

    /** Moves one claimed instance; the catalog commits the new tier before this returns. */
    void migrate(MigrationTask task);

    /** Gives the claim up; harmless when it is no longer held. */
    void release(MigrationTask task);

    /** Finishes or rolls back migrations an interrupted run left mid-way; returns how many it handled. */
    int resumeUnfinished();

    /** The policy's max_instances_per_cycle. */
    long maxInstancesPerCycle();

    /** The policy's max_bytes_per_cycle. */
    long maxBytesPerCycle();

    /** The policy's auto_migrate: scheduled cycles do nothing while it is off. */
    boolean autoMigrate();
}
