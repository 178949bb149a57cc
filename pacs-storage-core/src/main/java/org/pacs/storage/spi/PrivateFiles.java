package org.pacs.storage.spi;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Databases that hold patient data or its trail (the catalog, the security database) are created owner-only
 * (0600) before anything writes to them; SQLite gives its -wal and -shm files the database file's mode.
 */
public final class PrivateFiles {

    private PrivateFiles() {
    }

    /** Creates {@code file} empty and owner-only unless it exists; a no-op without POSIX modes. */
    public static void createOwnerOnly(Path file) throws IOException {
        if (Files.exists(file) || !file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            // another process created it meanwhile
        }
    }
}
