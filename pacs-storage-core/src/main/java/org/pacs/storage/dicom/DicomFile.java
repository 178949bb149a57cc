package org.pacs.storage.dicom;

/**
 * A parsed Part 10 instance.
 *
 * @param fileMeta          group 0002 (empty for files without a meta group)
 * @param dataset           everything after the meta group; without Pixel Data when read in header mode
 * @param transferSyntaxUid the transfer syntax the dataset was encoded in, as declared (or detected without one)
 * @param headerLength      bytes read up to the end of the parsed part (in header mode: up to Pixel Data)
 * @param implicitVr        true when the data set's elements carry no VR: Implicit VR Little Endian, and also a
 *                          data set found in Implicit VR under a meta group that names an explicit syntax (pydicom's
 *                          SC_rgb_jpeg.dcm), which is read as pydicom reads it; whoever walks the stored bytes
 *                          after the header must read them this way, not by the syntax UID
 */
public record DicomFile(DicomDataset fileMeta, DicomDataset dataset, String transferSyntaxUid, long headerLength,
                        boolean implicitVr) {

    /** An instance whose data set is encoded as its transfer syntax says. */
    public DicomFile(DicomDataset fileMeta, DicomDataset dataset, String transferSyntaxUid, long headerLength) {
        this(fileMeta, dataset, transferSyntaxUid, headerLength,
                TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.equals(transferSyntaxUid));
    }
}
