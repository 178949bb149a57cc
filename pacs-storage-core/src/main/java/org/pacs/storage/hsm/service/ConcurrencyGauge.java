package org.pacs.storage.hsm.service;

import java.util.concurrent.atomic.AtomicInteger;

/** Migrations running now and the most that ever ran at once, for monitoring. */
public final class ConcurrencyGauge {

    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();

    void enter() {
        int now = current.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
    }

    void exit() {
        current.decrementAndGet();
    }

    public int current() {
        return current.get();
    }

    public int peak() {
        return peak.get();
    }
}
