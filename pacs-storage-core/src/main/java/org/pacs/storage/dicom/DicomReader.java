package org.pacs.storage.dicom;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * Reads DICOM Part 10 (and bare datasets without preamble or meta group). Header mode stops before Pixel
 * Data (7FE0,0010), so indexing a multi-gigabyte instance reads only its header bytes.
 * <p>Being written (issue #2): the signatures are fixed, the body lands with the DICOM work.
 */
public final class DicomReader {

    private DicomReader() {
    }

    public static DicomFile read(Path file) {
        throw new UnsupportedOperationException("DicomReader.read: in progress");
    }

    public static DicomFile read(InputStream in) {
        throw new UnsupportedOperationException("DicomReader.read: in progress");
    }

    public static DicomFile readHeader(Path file) {
        throw new UnsupportedOperationException("DicomReader.readHeader: in progress");
    }

    /** Reads up to (not including) Pixel Data; leaves the stream positioned there. */
    public static DicomFile readHeader(InputStream in) {
        throw new UnsupportedOperationException("DicomReader.readHeader: in progress");
    }
}
