package org.pacs.storage.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Instances hold patient data, so files and folders are created owner-only by default (0600 and 0700, set
 * per tier with {@code file-mode} and {@code dir-mode}). The mode is given at creation, not changed after, so
 * no file is ever readable by others even for a moment. On a file system without POSIX modes nothing is set.
 */
final class FilePermissions {

    private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

    private FilePermissions() {
    }

    static Set<PosixFilePermission> parse(String octal, String key) {
        if (octal == null || !octal.matches("0?[0-7]{3}")) {
            throw org.pacs.storage.StorageException.invalidInput("'" + octal + "' is not a file mode for " + key
                    + "; give three octal digits such as 600 or 0700.");
        }
        String m = octal.length() == 4 ? octal.substring(1) : octal;
        StringBuilder b = new StringBuilder();
        for (char c : m.toCharArray()) {
            int v = c - '0';
            b.append((v & 4) != 0 ? 'r' : '-').append((v & 2) != 0 ? 'w' : '-').append((v & 1) != 0 ? 'x' : '-');
        }
        return PosixFilePermissions.fromString(b.toString());
    }

    static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    static FileAttribute<?>[] fileAttributes(Path p, FileStorageConfig config) {
        return posix(p) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(config.fileMode())}
                : new FileAttribute<?>[0];
    }

    /** Creates {@code dir} and its missing parents with the directory mode. */
    static void createDirectories(Path dir, FileStorageConfig config) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDirectories(parent, config);
        }
        createOne(dir, config);
    }

    /**
     * Creates missing directories below {@code root}, handing each new entry's parent to {@code syncDirectory}
     * (which forces it now, later for a batch, or not at all without fsync).
     */
    static void createDirectories(Path root, Path dir, FileStorageConfig config, Consumer<Path> syncDirectory)
            throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null && !parent.equals(root) && parent.startsWith(root)) {
            createDirectories(root, parent, config, syncDirectory);
        }
        if (createOne(dir, config) && parent != null) {
            syncDirectory.accept(parent);
        }
    }

    private static boolean createOne(Path dir, FileStorageConfig config) throws IOException {
        try {
            if (posix(dir)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(config.dirMode()));
                // the umask may have narrowed the mode; set it exactly (narrower is never wider than asked)
                Files.setPosixFilePermissions(dir, config.dirMode());
            } else {
                Files.createDirectory(dir);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false; // another thread or process made it: fine
        }
    }

    /**
     * Copies {@code from}, which must hold {@code size} bytes (what was hashed), to a new file {@code to}, created
     * with the file mode in the same call that creates it (Files.copy would replace it by a file with the source's
     * mode, readable by others until a chmod), and forces it through the channel that wrote it when {@code force}.
     * One create and no unlink per file: on ext4 every unlinked inode lengthens the scan that each later create
     * makes for a free one (recently_deleted), which was a quarter of the CPU of {@code store}.
     */
    static void copy(Path from, long size, Path to, FileStorageConfig config, boolean force) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
             FileChannel out = FileChannel.open(to, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                     fileAttributes(to, config))) {
            if (in.size() != size) {
                throw changed(from, size, in.size());
            }
            long pos = 0;
            while (pos < size) {
                long n = in.transferTo(pos, size - pos, out);
                if (n <= 0) {
                    throw changed(from, size, in.size());
                }
                pos += n;
            }
            if (force) {
                out.force(true);
            }
        }
        if (posix(to) && !config.fileMode().equals(OWNER_READ_WRITE)) {
            Files.setPosixFilePermissions(to, config.fileMode()); // exact despite the umask (0600 it cannot widen)
        }
    }

    private static org.pacs.storage.StorageException changed(Path from, long hashed, long now) {
        return org.pacs.storage.StorageException.invalidInput(from + " changed while it was being stored (" + hashed
                + " bytes were checked, it now has " + now + "); nothing was stored. Store it again once nothing"
                + " writes to it.");
    }

    /** Sets the file mode on a file made elsewhere (a spool file) before it is published. */
    static void apply(Path file, FileStorageConfig config) throws IOException {
        if (posix(file)) {
            Files.setPosixFilePermissions(file, config.fileMode());
        }
    }

    static boolean isOutOfSpace(IOException e) {
        String m = String.valueOf(e.getMessage());
        return m.contains("No space left") || m.contains("Disk quota exceeded");
    }
}
