package org.pacs.storage.dicom;

import java.io.OutputStream;

/**
 * Writes Part 10: preamble, "DICM", a meta group built from the dataset (group length, Media Storage SOP
 * Class/Instance UID, Transfer Syntax, Implementation Class UID and Version Name), then the dataset.
 * <p>Being written (issue #2): the signatures are fixed, the body lands with the DICOM work.
 */
public final class DicomWriter {

    public static final String IMPLEMENTATION_CLASS_UID = "2.25.106245957036458411133424384211734592787";
    public static final String IMPLEMENTATION_VERSION_NAME = "PACS_STORAGE_01";

    private DicomWriter() {
    }

    /** Explicit VR Little Endian. */
    public static void write(DicomDataset dataset, OutputStream out) {
        write(dataset, out, TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN);
    }

    /** {@code transferSyntaxUid}: Explicit VR LE (default) or Implicit VR LE. */
    public static void write(DicomDataset dataset, OutputStream out, String transferSyntaxUid) {
        throw new UnsupportedOperationException("DicomWriter.write: in progress");
    }

    public static byte[] toBytes(DicomDataset dataset, String transferSyntaxUid) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        write(dataset, b, transferSyntaxUid);
        return b.toByteArray();
    }
}
