package org.pacs.storage.file;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * The file-system steps that make a write survive a crash: data forced before the rename that publishes it,
 * and the directory forced after, so the new name is durable too (POSIX rename is atomic but not durable).
 */
final class DurableFiles {

    private DurableFiles() {
    }

    static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Linux allows fsync on a directory opened read-only; platforms that refuse need nothing more. */
    static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Windows cannot open directories as files; its rename is durable once the call returns.
        }
    }

    /**
     * Atomic replace-or-create of {@code target} by {@code tmp}, same file system: the data is forced before the
     * rename when {@code fsync}, and the directory goes to {@code syncDirectory} after it.
     */
    static void publish(Path tmp, Path target, boolean fsync, Consumer<Path> syncDirectory) throws IOException {
        if (fsync) {
            force(tmp);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory.accept(target.getParent());
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a leftover temp file is deleted at the next open
        }
    }
}
