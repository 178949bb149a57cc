package org.pacs.storage.hsm;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link HookedBackend.StoreHook} that holds every store until {@link #open()} and counts how many are
 * inside at once; {@link #awaitInside(int)} returns when that many stores wait at the gate.
 */
final class StoreGate implements HookedBackend.StoreHook {

    private final CountDownLatch gate = new CountDownLatch(1);
    private final AtomicInteger inside = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicInteger entered = new AtomicInteger();
    private final Object arrivals = new Object();

    @Override
    public void beforeStore(byte[] part10) throws InterruptedException {
        int now = inside.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        entered.incrementAndGet();
        synchronized (arrivals) {
            arrivals.notifyAll();
        }
        try {
            gate.await();
        } finally {
            inside.decrementAndGet();
        }
    }

    /** Waits (at most 30 s, then fails) until {@code n} stores are held at the gate at the same time. */
    void awaitInside(int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        synchronized (arrivals) {
            while (inside.get() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("only " + inside.get() + " stores reached the gate, expected " + n);
                }
                TimeUnit.NANOSECONDS.timedWait(arrivals, left);
            }
        }
    }

    void open() {
        gate.countDown();
    }

    int inside() {
        return inside.get();
    }

    int peak() {
        return peak.get();
    }

    int entered() {
        return entered.get();
    }
}
