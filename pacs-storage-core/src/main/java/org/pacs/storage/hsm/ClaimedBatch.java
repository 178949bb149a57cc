package org.pacs.storage.hsm;

import java.util.List;

/**
 * Candidates claimed for this node in one cycle, within the policy's instance and byte budgets.
 *
 * @param skipped candidates selected but released because they did not fit the byte budget
 */
public record ClaimedBatch(List<MigrationTask> tasks, int skipped) {

    public ClaimedBatch {
        tasks = List.copyOf(tasks);
    }

    public long bytes() {
        return tasks.stream().mapToLong(t -> t.metadata().sizeBytes()).sum();
    }
}
