package org.pacs.storage.hsm;

import java.util.List;
import java.util.Map;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;

/**
 * What {@link HsmStorage#migrate(java.util.Collection, StorageTier)} did with each instance it was given.
 *
 * @param moved     now committed in the target tier
 * @param unchanged already there, no longer catalogued, or not started because the caller asked to stop
 * @param failed    left where they were (or, for a lost claim, with the node that took them over), with why
 */
public record MigrationBatchResult(List<SopInstanceUid> moved, List<SopInstanceUid> unchanged,
                                   Map<SopInstanceUid, StorageException> failed) {

    public MigrationBatchResult {
        moved = List.copyOf(moved);
        unchanged = List.copyOf(unchanged);
        failed = Map.copyOf(failed);
    }
}
