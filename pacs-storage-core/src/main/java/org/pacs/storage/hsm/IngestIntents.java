package org.pacs.storage.hsm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.pacs.storage.StorageException;
import org.pacs.storage.spi.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this process is storing right now: one fixed slot per store in flight, holding the key its blob is put
 * under, written before the put and cleared once the catalog row is committed. A process that dies (kill -9,
 * a halt, an OOM) between the two leaves the keys of its unfinished stores here and nowhere else: the next open
 * of the archive finds the slot file of a dead process (its lock is free) and catalogues each blob it names that
 * is there and whole but has no row. A put is always forced before it is published, so such a blob is complete.
 * Recovery reads only the slot files, never the tier, so it costs the same at 20 and at 20 million instances.
 *
 * <p>A slot is a pwrite into a file that stays open, with no fsync: it guards against the death of the process,
 * whose writes the kernel keeps. After a power cut a blob put just before it may lack its row; that blob was
 * never reported stored, and verify lists it as an orphan until rebuild-index adopts it.
 */
final class IngestIntents implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestIntents.class);
    static final String PREFIX = "intents-";
    private static final String SUFFIX = ".slots";
    /** A key is a layout path (three UIDs at most, 64 characters each, plus separators) or an object name. */
    static final int SLOT_BYTES = 512;
    /** Stores in flight at once in one process; one more waits for a free slot. */
    static final int SLOTS = 1024;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final BlockingQueue<Integer> free = new ArrayBlockingQueue<>(SLOTS);

    private IngestIntents(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        for (int i = 0; i < SLOTS; i++) {
            free.add(i);
        }
    }

    /** This process's slot file in {@code spoolDir}, locked for as long as the process keeps it open. */
    static IngestIntents open(Path spoolDir, String processTag) {
        Path file = spoolDir.resolve(PREFIX + processTag + SUFFIX);
        try {
            Files.createDirectories(spoolDir);
            PrivateFiles.createOwnerOnly(file);
            FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                throw new IOException("another process holds " + file);
            }
            return new IngestIntents(file, ch, lock);
        } catch (IOException | OverlappingFileLockException e) {
            throw StorageException.unavailable("Could not create the store journal " + file + " (" + e.getMessage()
                    + "); check that the spool directory " + spoolDir + " is writable.", e);
        }
    }

    /** Records that {@code key} is about to be put; returns the slot to {@link #end} once committed. */
    int begin(String key) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        if (k.length > SLOT_BYTES - 2) {
            throw StorageException.invalidInput("The blob key " + key + " is longer than " + (SLOT_BYTES - 2)
                    + " bytes; use a layout with shorter keys.");
        }
        int slot = take();
        ByteBuffer b = ByteBuffer.allocate(2 + k.length).putShort((short) k.length).put(k).flip();
        write(b, slot);
        return slot;
    }

    /** The store of this slot is committed (or failed before its put): the slot is free again. */
    void end(int slot) {
        write(ByteBuffer.allocate(2), slot);
        free.add(slot);
    }

    private int take() {
        try {
            Integer slot = free.poll(5, TimeUnit.MINUTES);
            if (slot == null) {
                throw StorageException.unavailable("More than " + SLOTS + " stores have waited in this process"
                        + " for five minutes; the archive is overloaded or a tier hangs. Retry later.", null);
            }
            return slot;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StorageException.unavailable("Interrupted before the store began; nothing was stored.", e);
        }
    }

    private void write(ByteBuffer b, int slot) {
        try {
            long pos = (long) slot * SLOT_BYTES;
            while (b.hasRemaining()) {
                pos += channel.write(b, pos);
            }
        } catch (IOException e) {
            throw StorageException.unavailable("Could not write the store journal " + file + " (" + e.getMessage()
                    + "); check free space in the spool directory. Nothing was stored.", e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
            Files.deleteIfExists(file); // every store of this process has ended: nothing left to recover
        } catch (IOException e) {
            LOG.warn("Could not remove the store journal {}: {}", file, e.getMessage());
        }
    }

    /** The blob keys a dead process's slot file names, removed from {@code spoolDir} once {@code adopt} ran. */
    interface Adopter {
        void adopt(List<String> keys);
    }

    /**
     * Hands the keys of every dead process's unfinished stores to {@code adopter}, then deletes those slot
     * files. A slot file whose lock is held belongs to a live process (in this JVM or another) and is left.
     */
    static int recover(Path spoolDir, Adopter adopter) {
        if (!Files.isDirectory(spoolDir)) {
            return 0;
        }
        int keys = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(spoolDir, PREFIX + "*" + SUFFIX)) {
            for (Path f : files) {
                keys += recoverOne(f, adopter);
            }
        } catch (IOException e) {
            LOG.warn("Could not list the store journals in {}: {}", spoolDir, e.getMessage());
        }
        return keys;
    }

    private static int recoverOne(Path f, Adopter adopter) {
        try (FileChannel ch = FileChannel.open(f, Set.of(StandardOpenOption.READ, StandardOpenOption.WRITE))) {
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                return 0; // held in this JVM: a live archive
            }
            if (lock == null) {
                return 0; // held by a live process
            }
            List<String> keys = read(ch);
            if (!keys.isEmpty()) {
                LOG.info("A process that stopped left {} unfinished store(s) in {}; cataloguing what it wrote",
                        keys.size(), f.getFileName());
                adopter.adopt(keys);
            }
            Files.delete(f); // under the lock: no second recovery of the same file
            return keys.size();
        } catch (IOException | RuntimeException e) {
            // left in place: the next open tries again, and nothing was deleted meanwhile
            LOG.warn("Could not recover the store journal {}: {}", f, e.getMessage());
            return 0;
        }
    }

    private static List<String> read(FileChannel ch) throws IOException {
        List<String> keys = new ArrayList<>();
        long size = ch.size();
        ByteBuffer slot = ByteBuffer.allocate(SLOT_BYTES);
        for (long pos = 0; pos + 2 <= size && pos < (long) SLOTS * SLOT_BYTES; pos += SLOT_BYTES) {
            slot.clear();
            ch.read(slot, pos);
            slot.flip();
            if (slot.remaining() < 2) {
                break;
            }
            int len = slot.getShort() & 0xffff;
            if (len > 0 && len <= slot.remaining()) { // a torn or garbled slot is skipped, never trusted
                byte[] k = new byte[len];
                slot.get(k);
                keys.add(new String(k, StandardCharsets.UTF_8));
            }
        }
        return keys;
    }
}
