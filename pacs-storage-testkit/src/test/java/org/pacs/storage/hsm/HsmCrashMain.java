package org.pacs.storage.hsm;

import java.nio.file.Path;
import org.pacs.storage.StoredInstance;

/**
 * The forked JVM of {@link HsmCrashRecoveryTest}: opens the HSM under {@code args[0]} (recovering whatever
 * the previous run left) and migrates every instance to tier {@code args[1]}, printing one line per move.
 * Run with {@code -Dpacs.hsm.crashAt=<step>} it halts at that step, like kill -9; the test may also kill it.
 */
public final class HsmCrashMain {

    private HsmCrashMain() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        StorageTier target = StorageTier.parse(args[1]);
        try (HsmStorage hsm = HsmCrashRecoveryTest.open(dir)) {
            System.out.println("OPEN");
            for (StoredInstance s : hsm.list()) {
                if (hsm.migrate(s.sopInstanceUid(), target)) {
                    System.out.println("MOVED " + s.sopInstanceUid());
                }
            }
        }
        System.out.println("DONE");
        System.exit(0);
    }
}
