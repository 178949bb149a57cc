package org.pacs.storage.hsm;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for the crash-safety test: when the system property {@code pacs.hsm.crashAt} names a step,
 * the JVM halts (no shutdown hooks, no flushing, like kill -9) the {@code pacs.hsm.crashAfter}-th time
 * (default 1) that step is reached. Unset in production, where each check is one volatile-free string compare.
 */
final class CrashPoints {

    static final String PROPERTY = "pacs.hsm.crashAt";
    static final String COUNT_PROPERTY = "pacs.hsm.crashAfter";

    private static final String STEP = System.getProperty(PROPERTY);
    private static final int AFTER = Integer.getInteger(COUNT_PROPERTY, 1);
    private static final AtomicInteger HITS = new AtomicInteger();

    private CrashPoints() {
    }

    static void reached(String step) {
        if (STEP != null && STEP.equals(step) && HITS.incrementAndGet() >= AFTER) {
            Runtime.getRuntime().halt(137);
        }
    }
}
