package org.pacs.storage.hsm.service;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread plumbing of the migration service and the HSM's timers. */
public final class ServiceThreads {

    private ServiceThreads() {
    }

    /** Waits for {@code t} to end even when interrupted, and keeps the interrupt for the caller. */
    public static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A one-thread timer on a daemon thread, so a storage nobody closed never keeps the JVM alive. A cancelled
     * task leaves the queue at once: every migration schedules a lease renewal and cancels it when its copy
     * ends, and without this each one would wait out its delay (a third of a lease) in the heap.
     */
    public static ScheduledThreadPoolExecutor daemonTimer(String name) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    /** The pool a service owns: daemon threads that go away when idle, so a stopped service costs nothing. */
    public static ExecutorService ownPool(int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "hsm-migration-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        p.allowCoreThreadTimeOut(true);
        return p;
    }
}
