package org.pacs.storage.dicom;

/**
 * Guesses the transfer syntax of a data set that has no meta group (or one without (0002,0010)) from its first
 * element, as DCMTK does: the byte order that gives the smaller group number, explicit when two VR letters follow
 * the tag.
 */
final class SyntaxDetector {

    /** A bare data set starts with a low group (0008 in practice); text or binary junk does not. */
    private static final int MAX_FIRST_GROUP = 0x0030;

    private SyntaxDetector() {
    }

    /**
     * @param dicomEvidence true when a DICM marker or meta group was present, so the bytes are meant to be DICOM
     *                      and only the first-element plausibility check is relaxed
     */
    static String detect(DicomInput in, boolean dicomEvidence) {
        int n = in.fill(8);
        if (n == 0 && dicomEvidence) {
            return TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN;
        }
        if (n < 8) {
            throw notDicom(in, dicomEvidence);
        }
        int le = in.peek(0) | (in.peek(1) << 8);
        int be = (in.peek(0) << 8) | in.peek(1);
        boolean bigEndian = be < le;
        int group = bigEndian ? be : le;
        boolean explicit = VR.fromCode(in.peek(4), in.peek(5)) != null;
        if (!dicomEvidence && (group > MAX_FIRST_GROUP || (group & 1) != 0 || group == 0 && !explicit
                && in.peek(2) == 0 && in.peek(3) == 0)) {
            throw notDicom(in, false);
        }
        if (bigEndian) {
            return TransferSyntax.EXPLICIT_VR_BIG_ENDIAN;
        }
        return explicit ? TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN : TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN;
    }

    private static DicomParseException notDicom(DicomInput in, boolean evidence) {
        return new DicomParseException(evidence ? "no data element after the DICM marker or meta group"
                : "not DICOM: no 'DICM' marker at byte 128 and no plausible data element at byte 0",
                in.position(), -1);
    }
}
