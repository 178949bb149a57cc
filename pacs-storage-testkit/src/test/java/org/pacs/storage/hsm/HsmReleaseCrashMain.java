package org.pacs.storage.hsm;

import java.nio.file.Path;

/**
 * The forked JVM of {@link HsmReleaseCrashTest}: opens the HSM under {@code args[0]} (recovering whatever the
 * previous run left) with a hot capacity of {@code args[1]} bytes and runs one release pass, printing its result.
 * Run with {@code -Dpacs.hsm.crashAt=<step>} it halts at that step, like kill -9.
 */
public final class HsmReleaseCrashMain {

    private HsmReleaseCrashMain() {
    }

    public static void main(String[] args) {
        try (HsmStorage hsm = HsmReleaseCrashTest.open(Path.of(args[0]), Long.parseLong(args[1]),
                HsmCrashRecoveryTest.crashHookFromProperties())) {
            System.out.println("OPEN");
            System.out.println("RELEASED " + hsm.releaseHotCopies());
        }
        System.out.println("DONE");
        System.exit(0);
    }
}
