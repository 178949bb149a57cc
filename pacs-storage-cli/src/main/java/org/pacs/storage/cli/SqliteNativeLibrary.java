package org.pacs.storage.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * One copy of SQLite's native library per driver version, kept beside the command's jar, instead of a new one per
 * process. Left to itself, sqlite-jdbc copies the library (1.1 MB) out of the jar into {@code java.io.tmpdir} at
 * every start, under a random name, after asking {@code uname -o} in a child process whether it runs on Android;
 * it deletes that copy at a normal exit only. A process killed with -9, or halted by a power cut, leaves its copy
 * behind for good: the development machine had 871 of them (1 GB) in /tmp after a day of crash tests. An
 * archive that runs beside other systems day and night must not leak a megabyte per killed process.
 *
 * <p>The copy is written once (temporary name, forced, renamed, owner-only) and then only looked up; the driver
 * is pointed at it through its own {@code org.sqlite.lib.path}/{@code org.sqlite.lib.name} properties. A folder
 * that cannot be written (a read-only install), a library that will not load (another platform sharing the
 * folder) or a property the user set leave the driver's own behaviour in place.
 */
final class SqliteNativeLibrary {

    static final String PATH_PROPERTY = "org.sqlite.lib.path";
    static final String NAME_PROPERTY = "org.sqlite.lib.name";

    private SqliteNativeLibrary() {
    }

    /** Points the driver at the copy beside the running jar; a no-op when not run from a jar or already set. */
    static void useCopyBesideJar() {
        if (System.getProperty(PATH_PROPERTY) != null) {
            return;
        }
        jarFolder().flatMap(dir -> copyIn(dir.resolve("pacs-storage-native"))).ifPresent(lib -> {
            System.setProperty(PATH_PROPERTY, lib.getParent().toString());
            System.setProperty(NAME_PROPERTY, lib.getFileName().toString());
        });
    }

    /**
     * The library's copy in {@code folder}, written there first if missing; empty when it cannot be (the folder
     * is not writable, the jar has no library for this platform).
     */
    static Optional<Path> copyIn(Path folder) {
        String name = LibraryLoaderUtil.getNativeLibName();
        Path lib = folder.resolve("sqlite-" + SQLiteJDBCLoader.getVersion() + "-" + name);
        if (Files.isRegularFile(lib)) {
            return Optional.of(lib);
        }
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            createOwnerOnlyFolder(folder);
            Path tmp = Files.createTempFile(folder, ".sqlite-", ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                     OutputStream out = Channels.newOutputStream(ch)) {
                    in.transferTo(out);
                    ch.force(true);
                }
                // two first runs at once both write a whole copy; the second rename replaces an identical file
                Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return Optional.of(lib);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty(); // the driver's own copy in java.io.tmpdir, as without this class
        }
    }

    private static void createOwnerOnlyFolder(Path folder) throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        if (folder.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(folder);
        }
    }

    private static Optional<Path> jarFolder() {
        try {
            var source = PacsStorageCli.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path jar = Path.of(source.getLocation().toURI());
            return Files.isRegularFile(jar) ? Optional.ofNullable(jar.toAbsolutePath().getParent()) : Optional.empty();
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }
}
