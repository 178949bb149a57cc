package org.pacs.storage.hsm;

import java.nio.file.Path;
import java.util.List;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;

/**
 * The forked JVM of {@link HsmCrashRecoveryTest}: opens the HSM under {@code args[0]} (recovering whatever
 * the previous run left) and migrates every instance to tier {@code args[1]}, printing one line per move: one by
 * one, or in batches of 16 when {@code args[2]} is {@code batch}.
 * Run with {@code -Dpacs.hsm.crashAt=<step>} it halts at that step, like kill -9; the test may also kill it.
 */
public final class HsmCrashMain {

    private HsmCrashMain() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        StorageTier target = StorageTier.parse(args[1]);
        boolean batch = args.length > 2 && args[2].equals("batch");
        try (HsmStorage hsm = HsmCrashRecoveryTest.open(dir, batch)) {
            System.out.println("OPEN");
            List<SopInstanceUid> uids = hsm.list().stream().map(StoredInstance::sopInstanceUid).toList();
            if (batch) {
                for (int i = 0; i < uids.size(); i += 16) {
                    MigrationBatchResult r = hsm.migrate(uids.subList(i, Math.min(uids.size(), i + 16)), target);
                    if (!r.failed().isEmpty()) {
                        throw new IllegalStateException("failed: " + r.failed());
                    }
                    r.moved().forEach(uid -> System.out.println("MOVED " + uid));
                }
            } else {
                for (SopInstanceUid uid : uids) {
                    if (hsm.migrate(uid, target)) {
                        System.out.println("MOVED " + uid);
                    }
                }
            }
        }
        System.out.println("DONE");
        System.exit(0);
    }
}
