package org.pacs.storage.dicom;

/**
 * A parsed Part 10 instance.
 *
 * @param fileMeta          group 0002 (empty for files without a meta group)
 * @param dataset           everything after the meta group; without Pixel Data when read in header mode
 * @param transferSyntaxUid the transfer syntax the dataset was encoded in
 * @param headerLength      bytes read up to the end of the parsed part (in header mode: up to Pixel Data)
 */
public record DicomFile(DicomDataset fileMeta, DicomDataset dataset, String transferSyntaxUid, long headerLength) {
}
