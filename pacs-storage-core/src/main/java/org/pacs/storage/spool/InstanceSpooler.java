package org.pacs.storage.spool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;
import org.pacs.storage.StoredInstance;
import org.pacs.storage.dicom.DicomDataset;
import org.pacs.storage.dicom.DicomFile;
import org.pacs.storage.dicom.DicomReader;
import org.pacs.storage.dicom.DicomWriter;
import org.pacs.storage.dicom.Tag;
import org.pacs.storage.dicom.TransferSyntax;

/**
 * The ingest step every backend shares: bytes go to a spool file through a fixed-size buffer while their
 * {@link Fingerprint} (SHA-256 and CRC32C) and size are computed, then only the header is parsed (so a
 * multi-gigabyte instance costs its header in heap), UIDs are validated and the query attributes extracted. A backend then uploads, renames or
 * copies {@link SpooledInstance#path()}; bad input fails here, before any backend writes anything.
 * Thread-safe: every call uses its own spool file.
 */
public final class InstanceSpooler {

    /** Bytes held per transfer; also the upper bound of heap one ingest needs beyond the header. */
    public static final int BUFFER_SIZE = 64 * 1024;

    private static final String PROCESS_PREFIX = Long.toHexString(new java.util.Random().nextLong() & Long.MAX_VALUE);
    private static final java.util.concurrent.atomic.AtomicLong COUNTER = new java.util.concurrent.atomic.AtomicLong();

    private static final boolean POSIX = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews()
            .contains("posix");
    private static final java.nio.file.attribute.FileAttribute<?> OWNER_ONLY =
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

    /** Bytes of the start of each instance kept in memory while it is spooled: most headers end within them. */
    static final int HEAD_BYTES = BUFFER_SIZE;

    private final Path spoolDir;
    private final Clock clock;
    private final boolean forceSpools;

    public InstanceSpooler(Path spoolDir) {
        this(spoolDir, Clock.systemUTC());
    }

    public InstanceSpooler(Path spoolDir, Clock clock) {
        this(spoolDir, clock, false);
    }

    /**
     * With {@code forceSpools}, every spool file is forced (fsync) on the channel that wrote it, before it is
     * closed, and says so ({@link SpooledInstance#forced()}): for a store that renames spool files into place and
     * would otherwise reopen each one only to force it.
     */
    public InstanceSpooler(Path spoolDir, Clock clock, boolean forceSpools) {
        this.spoolDir = Objects.requireNonNull(spoolDir, "spoolDir");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.forceSpools = forceSpools;
    }

    public Path spoolDir() {
        return spoolDir;
    }

    /** Spools a Part 10 stream; reads {@code in} to its end, does not close it. */
    public SpooledInstance spool(InputStream in) {
        Objects.requireNonNull(in, "in");
        SpoolFile f = newSpoolFile();
        Path tmp = f.path();
        FileChannel ch = f.channel();
        try {
            Fingerprint fp = new Fingerprint();
            long size;
            byte[] head = new byte[HEAD_BYTES];
            try (OutputStream out = fp.wrap(Channels.newOutputStream(ch))) {
                size = copy(in, out, head);
                force(ch);
            }
            return describeOrDelete(new SpooledBytes(tmp, head, (int) Math.min(size, head.length)), true, size, fp);
        } catch (SourceReadException e) {
            deleteQuietly(tmp);
            throw StorageException.unavailable("Reading the incoming instance failed (" + e.getCause().getMessage()
                    + "); nothing was stored, send it again.", e.getCause());
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw StorageException.unavailable("Could not spool the incoming instance to " + spoolDir + " ("
                    + e.getMessage() + "); check free space and permissions of the spool directory.", e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    /**
     * Copies the caller's file into a spool file, hashing and checking the bytes as they are written, as
     * {@link #spool(InputStream)} does: one read of the file, and what a store then renames into place is exactly
     * what was hashed, even if the file is rewritten meanwhile. For a store that takes spool files over (a file
     * tier); {@link #spool(Path)} is for one that uploads from the caller's file.
     */
    public SpooledInstance spoolCopy(Path file) {
        requireFile(file);
        try (InputStream in = Files.newInputStream(file)) {
            return spool(in);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static StorageException unreadable(Path file, IOException e) {
        return StorageException.invalidInput("Could not read " + file + " (" + e.getMessage()
                + "); check that it exists and is readable.");
    }

    private static void requireFile(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw StorageException.invalidInput(file + " is not a readable file; give the path of a DICOM Part 10 file.");
        }
    }

    /** Hashes and parses the caller's file where it is: no copy is made, and the file is never changed. */
    public SpooledInstance spool(Path file) {
        requireFile(file);
        Fingerprint fp = new Fingerprint();
        long size;
        byte[] head = new byte[HEAD_BYTES];
        try (InputStream in = Files.newInputStream(file); OutputStream sink = fp.wrap(OutputStream.nullOutputStream())) {
            size = copy(in, sink, head);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        return describeOrDelete(new SpooledBytes(file, head, (int) Math.min(size, head.length)), false, size, fp);
    }

    /**
     * Encodes an in-memory dataset as Part 10 (its own meta Transfer Syntax if it names one the writer
     * supports, else Explicit VR Little Endian) into a spool file.
     */
    public SpooledInstance spool(DicomDataset dataset) {
        Objects.requireNonNull(dataset, "dataset");
        // Checked before encoding so the caller learns what is wrong with the dataset, not with an encoding.
        if (dataset.getUid(Tag.SOPInstanceUID).isEmpty()) {
            throw StorageException.invalidInput("The dataset has no SOP Instance UID (0008,0018); set one"
                    + " (e.g. a fresh 2.25 UID) before storing it.");
        }
        SopInstanceUid.requireValidUid(dataset.getUid(Tag.SOPInstanceUID).orElseThrow(), "SOP Instance UID (0008,0018)");
        String ts = dataset.getUid(Tag.TransferSyntaxUID)
                .filter(t -> t.equals(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN))
                .orElse(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
        SpoolFile f = newSpoolFile();
        Path tmp = f.path();
        FileChannel ch = f.channel();
        try {
            Fingerprint fp = new Fingerprint();
            CountingOutputStream counter;
            try (OutputStream out = fp.wrap(counter = new CountingOutputStream(
                    new java.io.BufferedOutputStream(Channels.newOutputStream(ch), BUFFER_SIZE)))) {
                DicomWriter.write(dataset, out, ts);
                out.flush();
                force(ch);
            }
            return describeOrDelete(new SpooledBytes(tmp, new byte[0], 0), true, counter.count(), fp);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw StorageException.unavailable("Could not spool the dataset to " + spoolDir + " (" + e.getMessage()
                    + "); check free space and permissions of the spool directory.", e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw asStorageException(e);
        }
    }

    /** Forces a spool file's bytes when this spooler is asked to (a store that renames them into place). */
    private void force(FileChannel ch) throws IOException {
        if (forceSpools) {
            ch.force(true);
        }
    }

    /**
     * Parses the header and checks Pixel Data from {@code bytes} (the start of the file still in memory, the rest
     * read from the file only if the header runs past it), then describes the instance; a temporary spool file is
     * deleted when that fails.
     */
    private SpooledInstance describeOrDelete(SpooledBytes bytes, boolean temporary, long size, Fingerprint fp) {
        Path path = bytes.path();
        try (SpooledBytes b = bytes) {
            if (size == 0) {
                throw StorageException.invalidInput("The instance is empty (0 bytes); give a DICOM Part 10 file.");
            }
            String sha = fp.sha256();
            DicomFile header = DicomReader.readHeader(b.stream(), size);
            org.pacs.storage.StoredHeader kept = PixelDataCheck.verifyAndCapture(b, header, size);
            StoredInstance instance = InstanceHeaders.describe(header, size, sha, fp.crc32c(), clock.instant());
            return new SpooledInstance(path, temporary, temporary && forceSpools, instance,
                    InstanceHeaders.attributes(header, instance), header.headerLength(), kept);
        } catch (IOException e) {
            if (temporary) {
                deleteQuietly(path);
            }
            throw StorageException.unavailable("Could not read back " + path + " (" + e.getMessage() + "); check"
                    + " the spool directory's disk.", e);
        } catch (RuntimeException e) {
            if (temporary) {
                deleteQuietly(path);
            }
            throw asStorageException(e);
        }
    }

    /**
     * The reader raises DicomParseException (INVALID_INPUT) for bad bytes; anything else escaping from a
     * parse of untrusted input is still the input's fault, so it is reported as INVALID_INPUT too.
     */
    private static StorageException asStorageException(RuntimeException e) {
        if (e instanceof StorageException se) {
            return se;
        }
        return new StorageException(StorageException.Reason.INVALID_INPUT, "The instance could not be parsed or"
                + " encoded (" + e + "); check it with dcmdump, or re-export it.", e);
    }

    /**
     * Creates and opens a new spool file in one system call: file creation dominates the cost of storing a
     * small instance, and createTempFile followed by an open would pay it twice. The name is unique per
     * process (random prefix) and CREATE_NEW guards against any clash with another process's files.
     */
    private SpoolFile newSpoolFile() {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            Path p = spoolDir.resolve("spool-" + PROCESS_PREFIX + "-" + COUNTER.incrementAndGet() + ".tmp");
            try {
                if (attempt > 0 || !Files.isDirectory(spoolDir)) {
                    Files.createDirectories(spoolDir);
                }
                // owner-only from the first byte: a spool file holds patient data as much as the instance does
                FileChannel ch = POSIX ? FileChannel.open(p, Set.of(StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE), OWNER_ONLY) : FileChannel.open(p, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE);
                return new SpoolFile(p, ch);
            } catch (IOException e) {
                last = e;
            }
        }
        throw StorageException.unavailable("Could not create a spool file in " + spoolDir + " (" + last.getMessage()
                + "); check that the directory is writable and has free space.", last);
    }

    private record SpoolFile(Path path, FileChannel channel) {
    }

    /**
     * Copies {@code in} to its end into {@code out}, its first bytes read straight into {@code head}, which keeps
     * them: a transfer buffer is allocated only for an instance longer than that (most small ones are not).
     */
    static long copy(InputStream in, OutputStream out, byte[] head) throws IOException {
        int kept = 0;
        while (kept < head.length) {
            int n = read(in, head, kept, head.length - kept);
            if (n < 0) {
                return kept;
            }
            out.write(head, kept, n);
            kept += n;
        }
        byte[] buf = new byte[BUFFER_SIZE];
        long total = kept;
        for (int n = read(in, buf, 0, buf.length); n >= 0; n = read(in, buf, 0, buf.length)) {
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    private static int read(InputStream in, byte[] b, int off, int len) throws IOException {
        try {
            return in.read(b, off, len);
        } catch (IOException e) {
            throw new SourceReadException(e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // The failure being reported matters more; a leftover spool file is removed at the next open.
        }
    }

    /** Tells a failing source apart from a failing spool disk: they need different advice. */
    private static final class SourceReadException extends IOException {
        SourceReadException(IOException cause) {
            super(cause);
        }
    }
}
