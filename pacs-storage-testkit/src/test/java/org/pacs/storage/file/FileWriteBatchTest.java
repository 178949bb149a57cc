package org.pacs.storage.file;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.WriteBatch;
import org.pacs.storage.index.AbstractIndexedBackend;
import org.pacs.storage.testkit.SyntheticInstances;

/**
 * FileStorage's write batch: stores and removals show at once, their index rows are written at commit, and an
 * end before the commit (the storage closed with the batch open, as when the process dies) leaves whole
 * instances that the next open finds from their files.
 */
class FileWriteBatchTest {

    @TempDir
    Path root;

    private FileStorage open() {
        return new FileStorage(FileStorageConfig.of(root));
    }

    private static StoredInstance store(WriteBatch b, int seed) {
        return b.store(new ByteArrayInputStream(SyntheticInstances.bytes(SyntheticInstances.header(), 2048, seed)));
    }

    /** The index file's row state for the UID, or -1 without a row: what a restart would read. */
    private int rowState(SopInstanceUid uid) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + root.resolve(FileTree.INDEX_FILE));
             PreparedStatement ps = c.prepareStatement("SELECT state FROM instance WHERE sop_uid = ?")) {
            ps.setString(1, uid.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : -1;
            }
        }
    }

    @Test
    void storesShowAtOnceAndTheirRowsAreWrittenAtCommit() throws Exception {
        List<StoredInstance> stored = new ArrayList<>();
        try (FileStorage fs = open()) {
            WriteBatch b = fs.batch();
            for (int i = 0; i < 3; i++) {
                stored.add(store(b, i));
            }
            for (StoredInstance s : stored) {
                assertThat(fs.describe(s.sopInstanceUid())).contains(s);
                try (var in = fs.open(s.sopInstanceUid())) {
                    assertThat(AbstractIndexedBackend.sha256(in)).isEqualTo(s.sha256());
                }
                assertThat(rowState(s.sopInstanceUid())).as("no row before commit").isEqualTo(-1);
            }
            b.commit();
            for (StoredInstance s : stored) {
                assertThat(rowState(s.sopInstanceUid())).as("row after commit").isZero();
            }
            b.commit(); // nothing left: a second commit is a no-op
        }
        try (FileStorage fs = open()) {
            // equal including storedAt: read from the rows, not rebuilt from the files (which takes their age)
            assertThat(fs.list()).containsExactlyInAnyOrderElementsOf(stored);
            assertThat(fs.verifyIntegrity().isClean()).isTrue();
        }
    }

    @Test
    void removalsShowAtOnceAndTheirRowsGoAtCommit() throws Exception {
        StoredInstance a;
        StoredInstance b;
        try (FileStorage fs = open(); WriteBatch batch = fs.batch()) {
            a = store(batch, 1);
            b = store(batch, 2);
            batch.commit();
            batch.remove(a.sopInstanceUid());
            assertThat(fs.exists(a.sopInstanceUid())).isFalse();
            assertThat(root.resolve(FileLayout.HIERARCHICAL.relativePath(a))).doesNotExist();
            assertThat(rowState(a.sopInstanceUid())).as("marked, not yet deleted").isEqualTo(FileIndexStore.REMOVING);
            batch.commit();
            assertThat(rowState(a.sopInstanceUid())).isEqualTo(-1);
        }
        try (FileStorage fs = open()) {
            assertThat(fs.list()).containsExactly(b);
        }
    }

    @Test
    void anEndBeforeTheCommitLeavesWholeInstancesOrNone() throws Exception {
        StoredInstance committed;
        StoredInstance pending;
        try (FileStorage fs = open()) {
            WriteBatch batch = fs.batch();
            committed = store(batch, 1);
            batch.commit();
            pending = store(batch, 2);
            batch.remove(committed.sopInstanceUid());
            // no commit: the storage goes away with the batch open
        }
        try (FileStorage fs = open()) {
            assertThat(fs.exists(committed.sopInstanceUid())).as("its removal was under way: finished").isFalse();
            assertThat(fs.describe(pending.sopInstanceUid())).as("complete file, found from its header")
                    .hasValueSatisfying(d -> assertThat(d.sha256()).isEqualTo(pending.sha256()));
            assertThat(fs.verifyIntegrity().isClean()).isTrue();
        }
    }

    @Test
    void aRemovalRacingTheBatchIsNotUndoneByItsCommit() throws Exception {
        StoredInstance s;
        try (FileStorage fs = open()) {
            WriteBatch batch = fs.batch();
            s = store(batch, 1);
            fs.remove(s.sopInstanceUid()); // another caller removes it before the batch commits
            batch.commit();
            assertThat(rowState(s.sopInstanceUid())).isEqualTo(-1);
        }
        try (FileStorage fs = open()) {
            assertThat(fs.exists(s.sopInstanceUid())).isFalse();
        }
    }

    @Test
    void withoutFsyncEveryWriteIsIndexedAtOnce() throws Exception {
        try (FileStorage fs = new FileStorage(FileStorageConfig.of(root).withFsync(false))) {
            StoredInstance s = store(fs.batch(), 1);
            assertThat(rowState(s.sopInstanceUid())).isZero();
        }
    }
}
