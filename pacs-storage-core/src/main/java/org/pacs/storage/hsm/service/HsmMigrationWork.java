package org.pacs.storage.hsm.service;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.hsm.HsmStorage;
import org.pacs.storage.hsm.StorageTier;
import org.pacs.storage.hsm.TierMetadata;

/** {@link MigrationWork} over {@link HsmStorage}: claims are catalog rows held under this node's id and lease. */
public final class HsmMigrationWork implements MigrationWork {

    private final HsmStorage storage;
    private final String owner;
    private final Duration lease;

    public HsmMigrationWork(HsmStorage storage, String owner, Duration lease) {
        this.storage = storage;
        this.owner = owner;
        this.lease = lease;
    }

    @Override
    public List<Direction> directions() {
        // Colder moves first: an instance old enough for both never crosses two tiers in one cycle.
        List<Direction> out = new ArrayList<>();
        boolean warm = storage.hasTier(StorageTier.WARM);
        boolean cold = storage.hasTier(StorageTier.COLD);
        if (warm && cold) {
            out.add(new Direction(StorageTier.WARM, StorageTier.COLD));
        }
        if (warm) {
            out.add(new Direction(StorageTier.HOT, StorageTier.WARM));
        } else if (cold) {
            out.add(new Direction(StorageTier.HOT, StorageTier.COLD));
        }
        return out;
    }

    @Override
    public List<MigrationTask> claim(Direction d, int limit, Set<SopInstanceUid> exclude) {
        List<TierMetadata> rows = storage.claimMigrationCandidates(d.from(), d.to(), limit, owner, lease, exclude);
        List<MigrationTask> out = new ArrayList<>(rows.size());
        for (TierMetadata m : rows) {
            out.add(new MigrationTask(m.sopInstanceUid(), d.from(), d.to(), m.sizeBytes()));
        }
        return out;
    }

    @Override
    public void migrate(MigrationTask task) {
        storage.migrate(task.uid(), task.to());
    }

    @Override
    public void release(MigrationTask task) {
        storage.releaseClaim(task.uid(), owner);
    }

    @Override
    public int resumeUnfinished() {
        return storage.resumeUnfinishedMigrations();
    }

    @Override
    public long maxInstancesPerCycle() {
        return storage.policy().maxInstancesPerCycle();
    }

    @Override
    public long maxBytesPerCycle() {
        return storage.policy().maxBytesPerCycle();
    }

    @Override
    public boolean autoMigrate() {
        return storage.policy().autoMigrate();
    }
}
