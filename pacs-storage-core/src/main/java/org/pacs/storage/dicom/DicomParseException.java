package org.pacs.storage.dicom;

import org.pacs.storage.StorageException;

/** The bytes are not a readable DICOM instance; the message names the byte offset and the tag. */
public class DicomParseException extends StorageException {

    private final long offset;
    private final int tag;

    public DicomParseException(String problem, long offset, int tag) {
        super(Reason.INVALID_INPUT, problem + " at byte offset " + offset
                + (tag >= 0 || tag < -1 ? " in element " + Tag.toString(tag) : "")
                + "; the file is not valid DICOM Part 10 (check it with dcmdump, or re-export it).");
        this.offset = offset;
        this.tag = tag;
    }

    public long offset() {
        return offset;
    }

    /** The tag being read, or -1 when the error came before any tag. */
    public int tag() {
        return tag;
    }
}
