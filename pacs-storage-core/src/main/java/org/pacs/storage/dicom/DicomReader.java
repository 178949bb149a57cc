package org.pacs.storage.dicom;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

import org.pacs.storage.SopInstanceUid;
import org.pacs.storage.StorageException;

/**
 * Reads DICOM Part 10 (and bare datasets without preamble or meta group). Header mode stops before Pixel
 * Data (7FE0,0010), so indexing a multi-gigabyte instance reads only its header bytes.
 * <p>Supported: Implicit VR LE, Explicit VR LE and BE, Deflated Explicit VR LE and every encapsulated syntax;
 * Specific Character Set for the text VRs. Every malformed input ends in a {@link DicomParseException} that names
 * the byte offset and tag; I/O failures end in a {@link StorageException} UNAVAILABLE.
 */
public final class DicomReader {

    private static final String STANDARD_SYNTAX_ROOT = "1.2.840.10008.1.2";
    private static final int FILE_BUFFER = 16 * 1024;
    private static final int STREAM_BUFFER = 64 * 1024;

    private DicomReader() {
    }

    public static DicomFile read(Path file) {
        return readFile(file, false);
    }

    /** Reads the whole stream to its end; the stream is not closed. */
    public static DicomFile read(InputStream in) {
        return parse(new DicomInput(in, false, -1, 0, STREAM_BUFFER), false, "input stream");
    }

    public static DicomFile readHeader(Path file) {
        return readFile(file, true);
    }

    /**
     * Reads up to (not including) Pixel Data; leaves the stream positioned there. The stream is read without
     * read-ahead; when it supports mark/reset (wrap it in a BufferedInputStream) it ends exactly at the Pixel Data
     * tag, otherwise just after those 4 tag bytes. {@link DicomFile#headerLength()} is the tag's offset. For a
     * deflated data set the stream position is wherever the inflater stopped.
     */
    public static DicomFile readHeader(InputStream in) {
        return parse(new DicomInput(in, true, -1, 0, 256), true, "input stream");
    }

    /**
     * Reads up to Pixel Data from a stream of {@code size} bytes in all (a file read through memory): as {@link
     * #readHeader(Path)}, a declared length past the end fails before any read. The stream is not closed.
     */
    public static DicomFile readHeader(InputStream in, long size) {
        return read(in, size, true);
    }

    /** Reads bytes whose total size is known (as for a file): a length past the end fails before any read. */
    static DicomFile read(InputStream in, long size, boolean header) {
        return parse(new DicomInput(in, false, size, 0, header ? FILE_BUFFER : STREAM_BUFFER), header, "input");
    }

    /** The SOP Instance UID of a parsed instance, validated; INVALID_INPUT naming the file when absent. */
    public static SopInstanceUid requireSopInstanceUid(DicomFile file) {
        String uid = file.dataset().getUid(Tag.SOPInstanceUID)
                .or(() -> file.fileMeta().getUid(Tag.MediaStorageSOPInstanceUID)).orElse(null);
        if (uid == null) {
            throw new DicomParseException("SOP Instance UID is missing (neither (0008,0018) nor (0002,0003) holds one)",
                    0, Tag.SOPInstanceUID);
        }
        return SopInstanceUid.of(uid);
    }

    private static DicomFile readFile(Path file, boolean header) {
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            DicomInput input = new DicomInput(in, false, size, 0, header ? FILE_BUFFER : STREAM_BUFFER);
            return parse(input, header, file.toString());
        } catch (NoSuchFileException e) {
            throw StorageException.invalidInput("File " + file + " does not exist; check the path.");
        } catch (IOException e) {
            throw StorageException.unavailable("Could not read " + file + " (" + e.getMessage()
                    + "); check that it is readable.", e);
        }
    }

    private static DicomFile parse(DicomInput in, boolean header, String source) {
        try {
            return parse(in, header);
        } catch (UncheckedIOException e) {
            throw StorageException.unavailable("Could not read " + source + " (" + e.getCause().getMessage()
                    + "); check the source and retry.", e.getCause());
        } catch (StorageException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            // A bug must not surface as an unchecked exception from deep inside: report where parsing broke.
            throw new DicomParseException("unreadable data (" + e + ")", in.position(), -1);
        }
    }

    private static DicomFile parse(DicomInput in, boolean header) {
        boolean marker = skipPreamble(in);
        DicomParser metaParser = new DicomParser(in, true, header);
        DicomDataset meta = metaParser.readMetaGroup();
        String declared = meta.getUid(Tag.TransferSyntaxUID).orElse(null);
        String ts = declared;
        if (ts == null || !ts.startsWith(STANDARD_SYNTAX_ROOT)) {
            // Missing, or private (vendor) syntaxes: how the bytes are encoded is read from the bytes themselves.
            ts = SyntaxDetector.detect(in, marker || !meta.isEmpty());
        }
        DicomInput data = in;
        Inflater inflater = null;
        if (TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.equals(ts)) {
            inflater = new Inflater(true);
            long base = in.position();
            data = new DicomInput(new InflaterInputStream(in.remainder(), inflater, 8192), false, -1, base,
                    STREAM_BUFFER);
            data.inflated(true);
        }
        try {
            data.bigEndian(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN.equals(ts));
            boolean explicit = !TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.equals(ts) && !implicitAfterAll(data);
            DicomParser parser = new DicomParser(data, explicit, header);
            DicomDataset dataset = parser.readDataset();
            return new DicomFile(meta, dataset, declared != null ? declared : ts, data.position(), !explicit);
        } finally {
            if (inflater != null) {
                inflater.end();
            }
        }
    }

    /**
     * A data set written in Implicit VR under a meta group that names an explicit syntax (pydicom's
     * SC_rgb_jpeg.dcm) is read as Implicit VR, as pydicom reads it: the first element's bytes 4-5, where an
     * explicit element has its VR, are no VR. The bytes themselves are never changed, only how they are read.
     */
    private static boolean implicitAfterAll(DicomInput in) {
        return in.fill(6) >= 6 && VR.fromCode(in.peek(4), in.peek(5)) == null;
    }

    /** Skips a 128-byte preamble and "DICM", or a bare "DICM"; returns whether the marker was there. */
    private static boolean skipPreamble(DicomInput in) {
        int n = in.fill(132);
        if (n >= 132 && in.peek(128) == 'D' && in.peek(129) == 'I' && in.peek(130) == 'C' && in.peek(131) == 'M') {
            in.skip(132, -1);
            return true;
        }
        if (n >= 4 && in.peek(0) == 'D' && in.peek(1) == 'I' && in.peek(2) == 'C' && in.peek(3) == 'M') {
            in.skip(4, -1);
            return true;
        }
        return false;
    }
}
