package org.pacs.storage.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pacs.storage.DuplicatePolicy;
import org.pacs.storage.StorageBackend;
import org.pacs.storage.StorageException;
import org.pacs.storage.StorageException.Reason;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.VR;
import org.pacs.storage.spi.StorageBackendProvider;
import org.pacs.storage.testkit.FindFixture;
import org.pacs.storage.testkit.SyntheticInstances;

/** What FileStorage promises beyond the contract: restarts, rebuilds, crash leftovers, layouts, the provider. */
class FileStorageTest {

    @TempDir
    Path root;

    private FileStorage open() {
        return new FileStorage(FileStorageConfig.of(root));
    }

    private static StoredInstance storeOne(FileStorage fs, int seed) {
        return fs.store(SyntheticInstances.dataset(SyntheticInstances.header(), 512, seed));
    }

    private static void assertReason(org.assertj.core.api.ThrowableAssert.ThrowingCallable c, Reason r) {
        assertThatThrownBy(c).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(r));
    }

    @Test
    void indexSurvivesRestart() {
        List<StoredInstance> stored;
        try (FileStorage fs = open()) {
            stored = FindFixture.storeInto(fs);
        }
        try (FileStorage fs = open()) {
            assertThat(fs.list()).containsExactlyInAnyOrderElementsOf(stored);
            FindFixture.assertFindSemantics(fs);
            assertThat(fs.verifyIntegrity().isClean()).isTrue();
        }
    }

    @Test
    void deletedOrGarbledIndexIsRebuiltFromTheFiles() throws Exception {
        List<StoredInstance> stored;
        try (FileStorage fs = open()) {
            stored = FindFixture.storeInto(fs);
        }
        deleteIndex();
        try (FileStorage fs = open()) {
            // storedAt comes from the file's age after a rebuild; everything else must be identical.
            assertThat(fs.list()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("storedAt")
                    .containsExactlyInAnyOrderElementsOf(stored);
            FindFixture.assertFindSemantics(fs);
        }
        deleteIndex();
        Files.write(root.resolve(FileTree.INDEX_FILE), "this is not an SQLite database, not at all".repeat(200).getBytes());
        try (FileStorage fs = open()) {
            assertThat(fs.list()).hasSize(stored.size());
            FindFixture.assertFindSemantics(fs);
        }
        try (Stream<Path> s = Files.list(root)) {
            assertThat(s.map(p -> p.getFileName().toString())).anyMatch(n -> n.contains(".unreadable-"));
        }
    }

    private void deleteIndex() throws Exception {
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(root.resolve(FileTree.INDEX_FILE + suffix));
        }
    }

    @Test
    void crashLeftoversAreCleanedOrRecoveredAtOpen() throws Exception {
        StoredInstance kept;
        StoredInstance removing;
        try (FileStorage fs = open()) {
            kept = storeOne(fs, 1);
            removing = storeOne(fs, 2);
        }
        // 1. A write that died before its rename: only a spool file.
        Files.write(root.resolve(".tmp/spool-123.tmp"), new byte[4096]);
        // 2. A write that died between rename and index commit: a complete file the index does not list.
        DicomDataset h = SyntheticInstances.header();
        Path unlisted = root.resolve(FileLayout.HIERARCHICAL.relativePath(probe(h)));
        Files.createDirectories(unlisted.getParent());
        SyntheticInstances.write(unlisted, h, 256, 9);
        // 3. A removal that died after marking the row: the file must go, not come back.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + root.resolve(FileTree.INDEX_FILE));
             Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE instance SET state = 2 WHERE sop_uid = '" + removing.sopInstanceUid() + "'");
        }
        try (FileStorage fs = open()) {
            try (Stream<Path> s = Files.list(root.resolve(".tmp"))) {
                assertThat(s.toList()).isEmpty();
            }
            assertThat(fs.exists(kept.sopInstanceUid())).isTrue();
            assertThat(fs.exists(probe(h).sopInstanceUid())).isTrue();
            assertThat(fs.exists(removing.sopInstanceUid())).isFalse();
            assertThat(root.resolve(FileLayout.HIERARCHICAL.relativePath(removing))).doesNotExist();
            assertThat(fs.verifyIntegrity().isClean()).isTrue();
        }
        try (FileStorage fs = open()) {
            assertThat(fs.list()).hasSize(2);
        }
    }

    @Test
    void interruptedReplaceIsSettledFromTheFileOnDisk() throws Exception {
        DicomDataset h = SyntheticInstances.header();
        StoredInstance old;
        try (FileStorage fs = open()) {
            old = fs.store(new ByteArrayInputStream(SyntheticInstances.bytes(h, 128, 1)));
        }
        // The crash came after the new bytes were renamed into place but before the row was rewritten.
        Path file = root.resolve(FileLayout.HIERARCHICAL.relativePath(old));
        SyntheticInstances.write(file, h, 256, 2);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + root.resolve(FileTree.INDEX_FILE));
             Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE instance SET state = 1 WHERE sop_uid = '" + old.sopInstanceUid() + "'");
        }
        try (FileStorage fs = open()) {
            StoredInstance now = fs.describe(old.sopInstanceUid()).orElseThrow();
            assertThat(now.sha256()).isNotEqualTo(old.sha256());
            assertThat(now.sizeBytes()).isEqualTo(Files.size(file));
            assertThat(fs.verifyIntegrity().isClean()).isTrue();
        }
    }

    /** A StoredInstance with the header's UIDs, only to compute where the layout puts it. */
    private static StoredInstance probe(DicomDataset h) {
        return new StoredInstance(org.pacs.storage.SopInstanceUid.of(h.getUid(Tag.SOPInstanceUID).orElseThrow()),
                h.getUid(Tag.StudyInstanceUID).orElseThrow(), h.getUid(Tag.SeriesInstanceUID).orElseThrow(), "", "", 0,
                "0".repeat(64), java.time.Instant.EPOCH);
    }

    @Test
    void layoutsPlaceFilesWhereTheySay() throws Exception {
        for (FileLayout layout : FileLayout.values()) {
            Path r = root.resolve(layout.name());
            try (FileStorage fs = new FileStorage(FileStorageConfig.of(r).withLayout(layout))) {
                StoredInstance s = storeOne(fs, 3);
                String rel = layout.relativePath(s);
                assertThat(r.resolve(rel)).isRegularFile();
                String uid = s.sopInstanceUid().value();
                switch (layout) {
                    case HIERARCHICAL -> assertThat(rel).isEqualTo(s.studyInstanceUid() + "/" + s.seriesInstanceUid()
                            + "/" + uid + ".dcm");
                    case FLAT -> assertThat(rel).isEqualTo(uid + ".dcm");
                    case HASHED -> assertThat(rel).matches("[0-9a-f]{2}/[0-9a-f]{2}/" + uid.replace(".", "\\.") + "\\.dcm");
                }
            }
            // A root remembers its layout: opening it with another one would hide every file.
            FileLayout other = layout == FileLayout.FLAT ? FileLayout.HASHED : FileLayout.FLAT;
            assertReason(() -> new FileStorage(FileStorageConfig.of(r).withLayout(other)), Reason.INVALID_INPUT);
        }
    }

    @Test
    void strayAndMisplacedFilesAreReportedAsOrphans() throws Exception {
        try (FileStorage fs = open()) {
            StoredInstance s = storeOne(fs, 4);
            Files.writeString(root.resolve("notes.txt"), "hello");
            Path misplaced = root.resolve("1.2.3/4.5.6/" + s.sopInstanceUid() + ".dcm");
            Files.createDirectories(misplaced.getParent());
            Files.copy(root.resolve(FileLayout.HIERARCHICAL.relativePath(s)), misplaced);
            assertThat(fs.verifyIntegrity().orphaned()).containsExactlyInAnyOrder("notes.txt",
                    "1.2.3/4.5.6/" + s.sopInstanceUid() + ".dcm");
        }
        // Reopening does not adopt the misplaced copy either.
        try (FileStorage fs = open()) {
            assertThat(fs.list()).hasSize(1);
            assertThat(fs.verifyIntegrity().orphaned()).hasSize(2);
        }
    }

    @Test
    void replaceThatMovesAnInstanceLeavesNoOldFile() {
        try (FileStorage fs = new FileStorage(FileStorageConfig.of(root).withDuplicatePolicy(DuplicatePolicy.REPLACE))) {
            DicomDataset h = SyntheticInstances.header();
            StoredInstance a = fs.store(new ByteArrayInputStream(SyntheticInstances.bytes(h, 64, 1)));
            h.set(Tag.SeriesInstanceUID, VR.UI, "2.25.77");
            StoredInstance b = fs.store(new ByteArrayInputStream(SyntheticInstances.bytes(h, 64, 1)));
            assertThat(root.resolve(FileLayout.HIERARCHICAL.relativePath(a))).doesNotExist();
            assertThat(root.resolve(FileLayout.HIERARCHICAL.relativePath(b))).isRegularFile();
            assertThat(fs.statistics().seriesCount()).isEqualTo(1);
            assertThat(fs.verifyIntegrity().isClean()).isTrue();
        }
    }

    @Test
    void oneFileStoragePerRoot() {
        try (FileStorage first = open()) {
            assertReason(this::open, Reason.UNAVAILABLE);
            assertThat(first.list()).isEmpty();
        }
        open().close();
    }

    @Test
    void closedStorageRefusesWork() {
        FileStorage fs = open();
        fs.close();
        fs.close();
        assertReason(fs::list, Reason.UNAVAILABLE);
    }

    @Test
    void providerBuildsFileStorageFromSettings() {
        StorageBackendProvider p = StorageBackendProvider.forType("file");
        assertThat(p.settingKeys()).containsExactlyInAnyOrder("root", "layout", "duplicate-policy", "fsync");
        try (StorageBackend b = p.create(Map.of("root", root.toString(), "layout", "flat",
                "duplicate-policy", "reject", "fsync", "off"))) {
            FileStorageConfig c = ((FileStorage) b).config();
            assertThat(c.layout()).isEqualTo(FileLayout.FLAT);
            assertThat(c.duplicatePolicy()).isEqualTo(DuplicatePolicy.REJECT);
            assertThat(c.fsync()).isFalse();
        }
        assertReason(() -> p.create(Map.of()), Reason.INVALID_INPUT);
        assertReason(() -> p.create(Map.of("root", root.toString(), "layout", "spiral")), Reason.INVALID_INPUT);
        assertReason(() -> p.create(Map.of("root", root.toString(), "fsync", "maybe")), Reason.INVALID_INPUT);
        assertReason(() -> p.create(Map.of("root", root.toString(), "colour", "blue")), Reason.INVALID_INPUT);
    }

    @Test
    void defaultsMatchTheSpec() {
        FileStorageConfig c = FileStorageConfig.of(root);
        assertThat(c.layout()).isEqualTo(FileLayout.HIERARCHICAL);
        assertThat(c.duplicatePolicy()).isEqualTo(DuplicatePolicy.IGNORE_IDENTICAL_REJECT_DIFFERENT);
        assertThat(c.fsync()).isTrue();
    }
}
