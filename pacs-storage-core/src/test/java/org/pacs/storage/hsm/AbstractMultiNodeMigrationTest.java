package org.pacs.storage.hsm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.catalog.CatalogEntry;
import org.pacs.storage.catalog.JdbcInstanceCatalog;
import org.pacs.storage.catalog.MigrationState;
import org.pacs.storage.catalog.PostgresFixture;
import org.pacs.storage.file.FileStorage;
import org.pacs.storage.file.FileStorageConfig;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two migration services in two JVMs on one PostgreSQL catalog and the SAME tiers (one shared hot root, one
 * shared warm root) move 1,050 candidates; each instance must be migrated by exactly one of them. 50 of them
 * are stored by a third process after both nodes have started, so a node that answered from a stale view of
 * the archive would miss them. Each node logs every copy it writes into warm: an instance migrated twice would
 * show up twice, or in both logs.
 */
public abstract class AbstractMultiNodeMigrationTest {

    private static final int INSTANCES = 1000;

    @TempDir
    protected Path dir;

    /** The shared warm tier as MigrationNode takes it: a file root, or spi:TYPE;key=value;... */
    protected abstract String warmSpec();

    /** The same warm tier as a backend for this JVM's own HSM (the writer). */
    protected abstract org.pacs.storage.StorageBackend warmBackend();

    /** The SOP Instance UIDs of the blobs the shared warm tier holds. */
    protected abstract Set<String> warmUids() throws IOException;

    @Test
    public void twoNodesOnOneCatalogMigrateEveryInstanceExactlyOnce() throws Exception {
        DataSource ds = PostgresFixture.freshDatabase();
        PGSimpleDataSource pg = (PGSimpleDataSource) ds;
        Set<SopInstanceUid> all;
        HsmTestBed bed = new HsmTestBed(dir.resolve("a"), TierPolicy.DEFAULT, JdbcInstanceCatalog.postgres(ds, 4),
                "setup", warmBackend());
        try (bed) {
            all = new HashSet<>(bed.storeInstances(INSTANCES));
            bed.ageAll();
        }
        long now = bed.clock.millis();

        List<Process> nodes = new ArrayList<>();
        HsmTestBed writer = null;
        try {
            for (String n : List.of("a", "b")) {
                nodes.add(startNode(pg, n, now));
            }
            for (Process p : nodes) {
                assertThat(readLine(p)).isEqualTo("READY");
            }
            // stored by another process once both nodes run: at once visible to them, and migrated by one
            writer = new HsmTestBed(dir.resolve("a"), TierPolicy.DEFAULT, JdbcInstanceCatalog.postgres(ds, 2),
                    "writer", warmBackend());
            all.addAll(writer.storeInstances(50));
            for (Process p : nodes) { // both start claiming at (nearly) the same moment
                Writer w = p.outputWriter(StandardCharsets.US_ASCII);
                w.write("GO\n");
                w.flush();
            }
            for (int i = 0; i < nodes.size(); i++) {
                Process p = nodes.get(i);
                Path err = dir.resolve(List.of("a", "b").get(i) + ".err");
                String done = readLine(p);
                assertThat(done).as("node %s said %s; its log:%n%s", i, done, Files.readString(err)).startsWith("DONE");
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(Files.readString(err)).isZero();
            }
            // what the nodes migrated is retrievable from here, byte for byte, from the shared warm tier
            for (SopInstanceUid u : all.stream().limit(20).toList()) {
                StoredInstance i = writer.hsm.describe(u).orElseThrow();
                try (java.io.InputStream in = writer.hsm.open(u)) {
                    assertThat(org.pacs.storage.blob.Digests.sha256(in)).isEqualTo(i.sha256());
                }
            }
            assertThat(writer.hsm.verifyIntegrity().isClean()).isTrue();
        } finally {
            nodes.forEach(Process::destroyForcibly);
            if (writer != null) {
                writer.close();
            }
        }
        List<String> logA = Files.readAllLines(dir.resolve("a.log"));
        List<String> logB = Files.readAllLines(dir.resolve("b.log"));
        Set<String> a = new HashSet<>(logA);
        Set<String> b = new HashSet<>(logB);
        assertThat(a).as("node a copied an instance twice").hasSize(logA.size());
        assertThat(b).as("node b copied an instance twice").hasSize(logB.size());
        assertThat(a).as("both nodes did part of the work").isNotEmpty();
        assertThat(b).as("both nodes did part of the work").isNotEmpty();
        assertThat(a).as("migrated by both nodes").doesNotContainAnyElementsOf(b);
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        assertThat(union).isEqualTo(all.stream().map(SopInstanceUid::value).collect(Collectors.toSet()));

        try (JdbcInstanceCatalog catalog = JdbcInstanceCatalog.postgres(ds, 2)) {
            for (SopInstanceUid u : all) {
                CatalogEntry e = catalog.get(u).orElseThrow();
                assertThat(e.tier()).isEqualTo(StorageTier.WARM);
                assertThat(e.migrationState()).isEqualTo(MigrationState.NONE);
            }
        }
        // the shared warm root holds every instance once; the shared hot root none
        assertThat(warmUids()).isEqualTo(union);
        assertThat(uidsIn(dir.resolve("a/hot"))).isEmpty();
    }

    /** The instance UIDs of the files under a tier root (names are {UID}.dcm), outside its bookkeeping. */
    protected static Set<String> uidsIn(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !root.relativize(f).getName(0).toString().startsWith("."))
                    .map(f -> f.getFileName().toString().replace(".dcm", "")).collect(Collectors.toSet());
        }
    }

    private Process startNode(PGSimpleDataSource pg, String node, long now) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), MigrationNode.class.getName(), pg.getUrl(),
                pg.getUser(), pg.getPassword() == null ? "" : pg.getPassword(),
                dir.resolve("a/hot").toString(), warmSpec(), "node-" + node,
                dir.resolve(node + ".log").toString(), Long.toString(now));
        return pb.redirectError(dir.resolve(node + ".err").toFile()).start();
    }

    private static String readLine(Process p) throws IOException {
        BufferedReader r = p.inputReader(StandardCharsets.US_ASCII);
        String line = r.readLine();
        return line == null ? "<node exited with " + (p.isAlive() ? "?" : p.exitValue()) + ">" : line;
    }
}
