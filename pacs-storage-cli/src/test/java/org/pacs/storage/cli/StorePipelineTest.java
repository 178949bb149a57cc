package org.pacs.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;

/**
 * The shape of {@code store}'s pipeline, with a store function the test holds and releases (latches): the walk
 * waits for the workers once its queue is full, outcomes are reported while stores still run, and a dying worker
 * ends the run with an error instead of a hang. These are properties of the threads and queues, so the store here
 * returns a made-up result for an empty file; the real archive behind the same pipeline is exercised through the
 * jar by StoreMemoryIT and ParallelStoreIT.
 */
class StorePipelineTest {

    @TempDir
    Path dir;

    private static final Duration LONG = Duration.ofSeconds(30);

    @Test
    void theWalkStopsAtTheQueueBoundWhileTheWorkersAreBusy() throws Exception {
        Path in = files("in", 2000);
        int threads = 3;
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger entered = new AtomicInteger();
        StorePipeline pipeline = new StorePipeline(threads, f -> {
            entered.incrementAndGet();
            waitFor(release);
            return stored(f);
        });
        AtomicInteger reported = new AtomicInteger();
        AtomicReference<StorePipeline.Totals> totals = new AtomicReference<>();
        Thread run = new Thread(() -> totals.set(pipeline.run(List.of(in), o -> reported.incrementAndGet())));
        run.start();

        // every worker holds a file and the queue is full: the walker can only be parked in put() now
        await().atMost(LONG).until(() -> entered.get() == threads && pipeline.queued() == pipeline.capacity()
                && pipeline.walkerState() == Thread.State.WAITING);
        assertThat(pipeline.walked()).as("files met by the walk while every worker is busy")
                .isEqualTo(threads + pipeline.capacity() + 1L)
                .isLessThan(100);
        assertThat(reported).hasValue(0);

        release.countDown();
        run.join(LONG.toMillis());
        assertThat(totals.get()).isEqualTo(new StorePipeline.Totals(2000, 0, 0));
        assertThat(reported).hasValue(2000);
    }

    @Test
    void outcomesAreReportedWhileLaterFilesAreStillBeingStored() throws Exception {
        Path in = files("in", 300);
        CountDownLatch firstReported = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        // from the 50th file on, a store only proceeds once some outcome has reached the report: a pipeline that
        // held the outcomes back until the end would fail all of these
        StorePipeline pipeline = new StorePipeline(4, f -> {
            if (started.incrementAndGet() > 50 && !waitFor(firstReported)) {
                throw new IllegalStateException("no outcome was reported while storing");
            }
            return stored(f);
        });
        StorePipeline.Totals t = pipeline.run(List.of(in), o -> firstReported.countDown());
        assertThat(t.stored()).isEqualTo(300);
        assertThat(t.failed()).isZero();
    }

    @Test
    void failuresAreCountedAndEveryOtherFileIsStoredOnce() throws Exception {
        Path in = files("in", 500);
        Files.writeString(in.resolve("bad.dcm"), "x");
        Path single = Files.writeString(dir.resolve("single.dcm"), "");
        Set<Path> seen = ConcurrentHashMap.newKeySet();
        Function<Path, StoredInstance> store = f -> {
            assertThat(seen.add(f)).as("stored once: " + f).isTrue();
            if (f.getFileName().toString().equals("bad.dcm")) {
                throw StorageException.invalidInput("not DICOM: " + f);
            }
            return stored(f);
        };
        Set<String> failed = ConcurrentHashMap.newKeySet();
        StorePipeline.Totals t = new StorePipeline(8, store).run(List.of(in, single), o -> {
            if (!o.ok()) {
                failed.add(o.file().getFileName() + " " + o.reason() + " " + o.message());
            }
        });
        assertThat(t).isEqualTo(new StorePipeline.Totals(501, 1, 0));
        assertThat(failed).singleElement().asString().startsWith("bad.dcm INVALID_INPUT not DICOM");
        assertThat(seen).hasSize(502);
    }

    @Test
    void aLinkGivenAsTheInputIsFollowedLinksInsideAreNot() throws Exception {
        Path in = files("in", 5);
        Path elsewhere = files("elsewhere", 3);
        Files.createSymbolicLink(in.resolve("link-to-elsewhere"), elsewhere);
        Path link = Files.createSymbolicLink(dir.resolve("link-to-in"), in);
        StorePipeline.Totals t = new StorePipeline(2, StorePipelineTest::stored).run(List.of(link), o -> { });
        assertThat(t.stored()).isEqualTo(5);
    }

    @Test
    void aWorkerKilledByAnErrorEndsTheRunWithAMessageNotAHang() throws Exception {
        Path in = files("in", 1000);
        AtomicInteger n = new AtomicInteger();
        StorePipeline pipeline = new StorePipeline(2, f -> {
            if (n.incrementAndGet() == 10) {
                throw new OutOfMemoryError("test: Java heap space");
            }
            return stored(f);
        });
        assertTimeoutPreemptively(LONG, () -> assertThatThrownBy(() -> pipeline.run(List.of(in), o -> { }))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("OutOfMemoryError")
                .hasMessageContaining("run store again"));
    }

    @Test
    void anUnreadableFolderIsReportedAndTheRestIsStored() throws Exception {
        Path in = files("in", 20);
        Path locked = Files.createDirectories(in.resolve("locked"));
        Files.writeString(locked.resolve("hidden.dcm"), "");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        try {
            Assumptions.assumeFalse(Files.isReadable(locked), "running as root: every folder is readable");
            Set<String> failures = ConcurrentHashMap.newKeySet();
            StorePipeline.Totals t = new StorePipeline(2, StorePipelineTest::stored).run(List.of(in), o -> {
                if (!o.ok()) {
                    failures.add(o.message());
                }
            });
            assertThat(t.stored()).isEqualTo(20);
            assertThat(t.failed()).isEqualTo(1);
            assertThat(failures).singleElement().asString().contains("locked").contains("permissions");
        } finally {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rwx------"));
        }
    }

    private Path files(String name, int n) throws IOException {
        Path d = Files.createDirectories(dir.resolve(name));
        for (int i = 0; i < n; i++) {
            Files.createFile(d.resolve("f" + i + ".dcm"));
        }
        return d;
    }

    private static boolean waitFor(CountDownLatch l) {
        try {
            return l.await(LONG.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static StoredInstance stored(Path f) {
        return new StoredInstance(SopInstanceUid.of("1.2.3." + Math.abs(f.hashCode())), "1.2.3", "1.2.3.4", "", "",
                0, "0".repeat(64), Instant.EPOCH);
    }
}
