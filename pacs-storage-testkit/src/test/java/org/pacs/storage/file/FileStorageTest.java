package org.pacs.storage.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void aDeletedCatalogIsRebuiltFromTheFilesAtTheNextOpen() throws Exception {
        List<StoredInstance> stored;
        try (FileStorage fs = open()) {
            stored = FindFixture.storeInto(fs);
        }
        for (String suffix : List.of("", "-wal", "-shm")) {
            Files.deleteIfExists(root.resolve(FileTree.CATALOG_FILE + suffix));
        }
        try (FileStorage fs = open()) {
            // storedAt comes from the file's age after a rebuild; everything else must be identical.
            assertThat(fs.list()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("storedAt")
                    .containsExactlyInAnyOrderElementsOf(stored);
            FindFixture.assertFindSemantics(fs);
            assertThat(fs.verifyIntegrity().isClean()).isTrue();
        }
    }

    @Test
    void aGarbledCatalogIsAClearErrorNotARebuildOverIt() throws Exception {
        try (FileStorage fs = open()) {
            storeOne(fs, 1);
        }
        for (String suffix : List.of("-wal", "-shm")) {
            Files.deleteIfExists(root.resolve(FileTree.CATALOG_FILE + suffix));
        }
        Files.write(root.resolve(FileTree.CATALOG_FILE), "this is not an SQLite database".repeat(200).getBytes());
        try (FileStorage fs = open()) {
            assertThatThrownBy(fs::list).isInstanceOfSatisfying(StorageException.class,
                    e -> assertThat(e.getMessage()).contains(FileTree.CATALOG_FILE));
        }
    }

    @Test
    void crashLeftoversAreCleanedOrReportedAndRebuildAdoptsWholeFiles() throws Exception {
        StoredInstance kept;
        try (FileStorage fs = open()) {
            kept = storeOne(fs, 1);
        }
        // 1. A write of a process that died long ago: only a stale spool file. A fresh one may be another
        //    process's write in progress, so it stays.
        Path stale = root.resolve(".tmp/spool-dead-123.tmp");
        Files.write(stale, new byte[4096]);
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.from(java.time.Instant.now()
                .minus(FileBlobStore.STALE_SPOOL).minusSeconds(60)));
        Path fresh = root.resolve(".tmp/spool-live-456.tmp");
        Files.write(fresh, new byte[4096]);
        // 2. A write that died between the file's rename and the catalog commit: a whole file no row names.
        DicomDataset h = SyntheticInstances.header();
        Path unlisted = root.resolve(FileLayout.HIERARCHICAL.relativePath(probe(h)));
        Files.createDirectories(unlisted.getParent());
        SyntheticInstances.write(unlisted, h, 256, 9);
        try (FileStorage fs = open()) {
            assertThat(stale).doesNotExist();
            assertThat(fresh).exists();
            assertThat(fs.exists(kept.sopInstanceUid())).isTrue();
            assertThat(fs.exists(probe(h).sopInstanceUid())).isFalse();
            assertThat(fs.verifyIntegrity().orphaned()).containsExactly("hot:"
                    + FileLayout.HIERARCHICAL.relativePath(probe(h)));
            assertThat(fs.rebuildIndex().added()).isEqualTo(1);
            assertThat(fs.exists(probe(h).sopInstanceUid())).isTrue();
            assertThat(fs.verifyIntegrity().isClean()).isTrue();
        }
    }

    @Test
    void openingCostsNoWorkPerInstance() {
        try (FileStorage fs = open()) {
            for (int i = 0; i < 50; i++) {
                storeOne(fs, i);
            }
        }
        // Opening reads nothing of the root: a storage that is never used never even opens its catalog.
        try (FileStorage fs = open()) {
            assertThat(fs.blobStore()).isInstanceOf(FileBlobStore.class);
        }
        try (FileStorage fs = open()) {
            assertThat(fs.statistics().totalInstances()).isEqualTo(50);
        }
    }

    @Test
    void filesAndFoldersAreOwnerOnlyByDefaultAndConfigurable() throws Exception {
        StoredInstance s;
        try (FileStorage fs = open()) {
            s = storeOne(fs, 5);
        }
        Path file = root.resolve(FileLayout.HIERARCHICAL.relativePath(s));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                file.getParent()))).isEqualTo("rwx------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                root.resolve(FileTree.CATALOG_FILE)))).isEqualTo("rw-------");
        Path other = root.resolve("group-readable");
        try (FileStorage fs = new FileStorage(FileStorageConfig.of(other).withModes("640", "750"))) {
            s = storeOne(fs, 6);
        }
        Path f2 = other.resolve(FileLayout.HIERARCHICAL.relativePath(s));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f2)))
                .isEqualTo("rw-r-----");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(
                f2.getParent()))).isEqualTo("rwxr-x---");
        assertReason(() -> FileStorageConfig.of(root).withModes("666x", "700"), Reason.INVALID_INPUT);
        assertReason(() -> FileStorageConfig.of(root).withModes("600", "600"), Reason.INVALID_INPUT);
    }

    @Test
    void aFileStoredFromItsPathIsCopiedWithTheTierModeAndAChangedSourceIsRefused() throws Exception {
        Path in = Files.createDirectories(root.resolve("in")).resolve("one.dcm");
        SyntheticInstances.write(in, SyntheticInstances.header(), 4096, 7);
        Path archive = root.resolve("group-readable");
        StoredInstance s;
        try (FileStorage fs = new FileStorage(FileStorageConfig.of(archive).withModes("640", "750"))) {
            s = fs.store(in); // the caller's file is copied (never moved), in one create with the tier's mode
        }
        Path stored = archive.resolve(FileLayout.HIERARCHICAL.relativePath(s));
        assertThat(Files.readAllBytes(stored)).isEqualTo(Files.readAllBytes(in));
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(stored)))
                .isEqualTo("rw-r-----");

        // the bytes that were hashed are no longer the file's: refused, nothing published, no temp file left
        FileBlobStore blobs = new FileBlobStore(FileStorageConfig.of(root.resolve("blobs")));
        org.pacs.storage.blob.LocalBlob shorter = new org.pacs.storage.blob.LocalBlob(in, Files.size(in) + 10,
                s.sha256(), Map.of(), false);
        assertThatThrownBy(() -> blobs.put("a/b/c.dcm", shorter)).isInstanceOfSatisfying(StorageException.class,
                e -> assertThat(e.getMessage()).contains("changed while it was being stored").contains("Store it again"));
        assertThat(blobs.head("a/b/c.dcm")).isEmpty();
        try (Stream<Path> left = Files.list(blobs.spoolDir())) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("copy-"))).isEmpty();
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
            assertThat(fs.verifyIntegrity().orphaned()).containsExactlyInAnyOrder("hot:notes.txt",
                    "hot:1.2.3/4.5.6/" + s.sopInstanceUid() + ".dcm");
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
    void severalFileStoragesShareOneRoot() {
        try (FileStorage first = open(); FileStorage second = open()) {
            StoredInstance s = storeOne(first, 7);
            assertThat(second.exists(s.sopInstanceUid())).as("no stale answer: the catalog is the only index").isTrue();
            assertThat(second.describe(s.sopInstanceUid())).contains(s);
            second.remove(s.sopInstanceUid());
            assertThat(first.exists(s.sopInstanceUid())).isFalse();
        }
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
        assertThat(p.settingKeys()).containsExactlyInAnyOrder("root", "root-path", "layout", "duplicate-policy",
                "fsync", "file-mode", "dir-mode");
        try (StorageBackend b = p.create(Map.of("root-path", root.resolve("spec").toString()))) {
            assertThat(((FileStorage) b).config().root()).isEqualTo(root.resolve("spec"));
        }
        assertReason(() -> p.create(Map.of("root", "a", "root-path", "b")), Reason.INVALID_INPUT);
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
