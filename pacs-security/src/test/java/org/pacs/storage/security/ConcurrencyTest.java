package org.pacs.storage.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * 8 threads and 2 other JVMs hit one new database file at the same moment, including its creation. Any
 * SQLITE_BUSY would surface as a StorageException in a worker; the exact final row counts prove that no
 * write was lost or applied twice.
 */
class ConcurrencyTest {

    private static final int THREADS = 8;
    private static final int PROCESSES = 2;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES) // a deadlock must fail the build, not hang it
    void threadsAndProcessesShareOneDatabaseWithoutBusyErrors() throws Exception {
        Path db = dir.resolve("shared.db");
        List<Process> processes = new ArrayList<>();
        List<BufferedReader> outputs = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        SqliteSecurityStorage shared = null;
        try {
            for (int p = 0; p < PROCESSES; p++) {
                Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx64m", "-cp", System.getProperty("java.class.path"), ConcurrencyWorker.class.getName(),
                        db.toString(), "proc" + p)
                        .redirectError(dir.resolve("proc" + p + ".err").toFile())
                        .start();
                processes.add(process);
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8));
                outputs.add(out);
                assertThat(out.readLine()).as("process %d started", p).isEqualTo("READY");
            }
            // Half the threads share one instance (one connection), half open their own, all at once.
            CyclicBarrier start = new CyclicBarrier(THREADS + 1);
            List<Future<?>> threads = new ArrayList<>();
            SqliteSecurityStorage[] sharedHolder = new SqliteSecurityStorage[1];
            for (int t = 0; t < THREADS; t++) {
                String prefix = "thread" + t;
                boolean own = t % 2 == 0;
                threads.add(pool.submit(() -> {
                    start.await();
                    if (own) {
                        try (SqliteSecurityStorage storage = new SqliteSecurityStorage(db)) {
                            ConcurrencyWorker.run(storage, prefix);
                        }
                    } else {
                        ConcurrencyWorker.run(sharedOnce(sharedHolder, db), prefix);
                    }
                    return null;
                }));
            }
            for (Process process : processes) {
                Writer in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
                in.write("GO\n");
                in.flush();
            }
            start.await(1, TimeUnit.MINUTES);
            for (Future<?> thread : threads) {
                thread.get(3, TimeUnit.MINUTES); // rethrows a worker's StorageException, e.g. a BUSY one
            }
            for (int p = 0; p < PROCESSES; p++) {
                assertThat(outputs.get(p).readLine()).as("process %d, stderr in %s", p, dir).isEqualTo("DONE");
                assertThat(processes.get(p).waitFor(1, TimeUnit.MINUTES)).isTrue();
                assertThat(processes.get(p).exitValue()).isZero();
            }
            shared = sharedHolder[0];
        } finally {
            pool.shutdownNow();
            processes.forEach(Process::destroyForcibly);
            if (shared != null) {
                shared.close();
            }
        }

        int workers = THREADS + PROCESSES;
        int survivors = ConcurrencyWorker.USERS_PER_WORKER - ConcurrencyWorker.deletedPerWorker();
        assertThat(TestDb.count(db, "users")).isEqualTo((long) workers * survivors);
        assertThat(TestDb.count(db, "user_roles")).isEqualTo(2L * workers * survivors);
        assertThat(TestDb.count(db, "audit_log")).isEqualTo((long) workers * ConcurrencyWorker.auditsPerWorker());
        try (SqliteSecurityStorage storage = new SqliteSecurityStorage(db)) {
            assertThat(storage.getUsersByRole(Role.RADIOLOGIST)).hasSize(workers * survivors);
            assertThat(storage.getUser("proc1-1").username()).isEqualTo("proc1.r1");
            assertThat(storage.getUser("thread7-3").active()).isFalse();
            assertThat(storage.auditLog()).extracting(AuditEntry::sequence).isSorted().doesNotHaveDuplicates();
        }
        assertThat(TestDb.strings(db, "PRAGMA journal_mode")).containsExactly("wal");
    }

    private static synchronized SqliteSecurityStorage sharedOnce(SqliteSecurityStorage[] holder, Path db) {
        if (holder[0] == null) {
            holder[0] = new SqliteSecurityStorage(db);
        }
        return holder[0];
    }
}
