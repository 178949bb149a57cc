package org.pacs.storage.dicom;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import org.pacs.storage.StorageException;

/**
 * Writes Part 10: preamble, "DICM", a meta group built from the dataset (group length, Media Storage SOP
 * Class/Instance UID, Transfer Syntax, Implementation Class UID and Version Name), then the dataset.
 * <p>Only for datasets built in memory: stored instances keep the bytes they arrived with and are never
 * re-encoded. Group 0002 elements of the dataset other than the ones built here (e.g. Source AE Title) are kept.
 * <p>Reading back gives an equal dataset. In Implicit VR the VR is not written, so elements whose tag
 * {@link DicomDictionary} does not know come back as UN bytes; sequences always come back as sequences because
 * they are written with undefined length. A single empty string value and no value are the same (zero length).
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

    /** {@code transferSyntaxUid}: Explicit VR LE (default) or Implicit VR LE. The stream is flushed, not closed. */
    public static void write(DicomDataset dataset, OutputStream out, String transferSyntaxUid) {
        boolean explicit;
        if (TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.equals(transferSyntaxUid)) {
            explicit = true;
        } else if (TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.equals(transferSyntaxUid)) {
            explicit = false;
        } else {
            throw StorageException.invalidInput("Transfer syntax " + transferSyntaxUid + " cannot be written; use "
                    + TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN + " (Explicit VR LE) or "
                    + TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN + " (Implicit VR LE).");
        }
        DicomDataset meta = fileMeta(dataset, transferSyntaxUid);
        try {
            // The meta group length must be known before the group is written, so it is built in memory (small).
            ByteArrayOutputStream metaBytes = new ByteArrayOutputStream(256);
            new DicomOutput(metaBytes, true).writeDataset(meta, SpecificCharacterSet.DEFAULT);
            BufferedOutputStream buffered = new BufferedOutputStream(out, 64 * 1024);
            buffered.write(new byte[128]);
            buffered.write(new byte[] {'D', 'I', 'C', 'M'});
            DicomOutput metaOut = new DicomOutput(buffered, true);
            metaOut.writeElement(DicomElement.ofBytes(Tag.FileMetaInformationGroupLength, VR.UL,
                    le32(metaBytes.size())), SpecificCharacterSet.DEFAULT);
            metaBytes.writeTo(buffered);
            new DicomOutput(buffered, explicit).writeDataset(dataset.withoutGroup(0x0002), SpecificCharacterSet.DEFAULT);
            buffered.flush();
        } catch (IOException e) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE,
                    "Could not write the DICOM file (" + e.getMessage() + "); check the target and retry.", e);
        }
    }

    /**
     * A bare dataset (no preamble, no meta group) in Explicit or Implicit VR Little Endian, as a network
     * message carries it (DIMSE identifiers and command-less data sets). The stream is flushed, not closed.
     */
    public static void writeDataset(DicomDataset dataset, OutputStream out, String transferSyntaxUid) {
        boolean explicit = TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN.equals(transferSyntaxUid);
        if (!explicit && !TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN.equals(transferSyntaxUid)) {
            throw StorageException.invalidInput("Transfer syntax " + transferSyntaxUid + " cannot be written; use "
                    + TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN + " or " + TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN + ".");
        }
        try {
            BufferedOutputStream buffered = new BufferedOutputStream(out, 16 * 1024);
            new DicomOutput(buffered, explicit).writeDataset(dataset, SpecificCharacterSet.DEFAULT);
            buffered.flush();
        } catch (IOException e) {
            throw new StorageException(StorageException.Reason.UNAVAILABLE,
                    "Could not write the DICOM data set (" + e.getMessage() + "); check the target and retry.", e);
        }
    }

    public static byte[] toBytes(DicomDataset dataset, String transferSyntaxUid) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        write(dataset, b, transferSyntaxUid);
        return b.toByteArray();
    }

    /** The meta group without its group length: that is computed from the encoded bytes. */
    static DicomDataset fileMeta(DicomDataset dataset, String transferSyntaxUid) {
        String sopClass = dataset.getUid(Tag.SOPClassUID).orElseThrow(() -> StorageException.invalidInput(
                "The dataset has no SOP Class UID (0008,0016); set it before writing a Part 10 file."));
        String sopInstance = dataset.getUid(Tag.SOPInstanceUID).orElseThrow(() -> StorageException.invalidInput(
                "The dataset has no SOP Instance UID (0008,0018); set it (e.g. UidGenerator.newUid()) before writing."));
        DicomDataset meta = dataset.group(0x0002);
        meta.remove(Tag.FileMetaInformationGroupLength);
        meta.setBytes(Tag.FileMetaInformationVersion, VR.OB, new byte[] {0, 1});
        meta.set(Tag.MediaStorageSOPClassUID, VR.UI, sopClass);
        meta.set(Tag.MediaStorageSOPInstanceUID, VR.UI, sopInstance);
        meta.set(Tag.TransferSyntaxUID, VR.UI, transferSyntaxUid);
        meta.set(Tag.ImplementationClassUID, VR.UI, IMPLEMENTATION_CLASS_UID);
        meta.set(Tag.ImplementationVersionName, VR.SH, IMPLEMENTATION_VERSION_NAME);
        return meta;
    }

    private static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }
}
