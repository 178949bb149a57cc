package org.pacs.storage.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

class SqliteNativeLibraryTest {

    @TempDir
    Path dir;

    @Test
    void theLibraryIsCopiedOnceIntoAnOwnerOnlyFolderAndFoundThereAfter() throws Exception {
        Path folder = dir.resolve("native");
        Optional<Path> first = SqliteNativeLibrary.copyIn(folder);
        assertThat(first).isPresent();
        Path lib = first.get();
        byte[] expected;
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(
                LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName())) {
            expected = in.readAllBytes();
        }
        assertThat(Files.readAllBytes(lib)).isEqualTo(expected);
        assertThat(lib.getFileName().toString()).contains(SQLiteJDBCLoader.getVersion());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        try (var entries = Files.list(folder)) {
            assertThat(entries).as("no temporary copy left").containsExactly(lib);
        }

        Object key = Files.readAttributes(lib, BasicFileAttributes.class).fileKey();
        assertThat(SqliteNativeLibrary.copyIn(folder)).contains(lib);
        assertThat(Files.readAttributes(lib, BasicFileAttributes.class).fileKey()).as("not written again")
                .isEqualTo(key);
    }

    @Test
    void aFolderThatCannotBeCreatedLeavesTheDriversOwnWay() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        assertThat(SqliteNativeLibrary.copyIn(file.resolve("native"))).isEmpty();
    }
}
