package org.pacs.storage.hsm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;

/** What became of each instance of a migration so far: moved, left as it was, or failed and why. */
final class MigrationOutcome {
    final BooleanSupplier proceed;
    final List<SopInstanceUid> moved = new ArrayList<>();
    final List<SopInstanceUid> unchanged = new ArrayList<>();
    final Map<SopInstanceUid, StorageException> failed = new LinkedHashMap<>();
    int countedSingly;

    boolean settled(SopInstanceUid uid) {
        return failed.containsKey(uid) || moved.contains(uid) || unchanged.contains(uid);
    }

    MigrationOutcome(BooleanSupplier proceed) {
        this.proceed = proceed;
    }
}
