package org.pacs.storage.hsm;

/**
 * Reached at each named step of a migration or removal ("copying", "committed", "source-deleted", ...), so a
 * crash test can halt the JVM there, like kill -9, and prove that recovery loses nothing. Injected through
 * {@link HsmStorageConfig#withFaultHook}; production uses {@link #NONE}.
 */
@FunctionalInterface
public interface FaultHook {

    FaultHook NONE = step -> { };

    void reached(String step);

    /** Halts the JVM (no shutdown hooks, no flushing) the {@code nth} time {@code step} is reached. */
    static FaultHook haltAt(String step, int nth) {
        java.util.concurrent.atomic.AtomicInteger hits = new java.util.concurrent.atomic.AtomicInteger();
        return s -> {
            if (s.equals(step) && hits.incrementAndGet() >= nth) {
                Runtime.getRuntime().halt(137);
            }
        };
    }
}
