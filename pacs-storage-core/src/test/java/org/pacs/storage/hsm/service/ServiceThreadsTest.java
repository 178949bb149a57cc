package org.pacs.storage.hsm.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ServiceThreadsTest {

    @Test
    void aDaemonTimerDropsCancelledTasksAtOnce() throws InterruptedException {
        ScheduledThreadPoolExecutor timer = ServiceThreads.daemonTimer("test-timer");
        try {
            for (int i = 0; i < 1000; i++) { // what 1,000 short migrations do with their lease renewals
                ScheduledFuture<?> renewal = timer.scheduleAtFixedRate(() -> { }, 5, 5, TimeUnit.MINUTES);
                renewal.cancel(false);
            }
            assertThat(timer.getQueue()).isEmpty();

            AtomicReference<Thread> ran = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            timer.execute(() -> {
                ran.set(Thread.currentThread());
                done.countDown();
            });
            assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(ran.get().isDaemon()).isTrue();
            assertThat(ran.get().getName()).isEqualTo("test-timer");
        } finally {
            timer.shutdownNow();
        }
    }
}
