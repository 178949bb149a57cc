package org.pacs.storage.dimse;

import java.util.List;
import java.util.Set;

import org.pacs.storage.dicom.TransferSyntax;

/** The abstract and transfer syntaxes the SCP accepts (PS3.4 Annex B, C; PS3.6 Annex A). */
final class SopClasses {

    static final String VERIFICATION = "1.2.840.10008.1.1";
    static final String PATIENT_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.1.1";
    static final String PATIENT_ROOT_MOVE = "1.2.840.10008.5.1.4.1.2.1.2";
    static final String PATIENT_ROOT_GET = "1.2.840.10008.5.1.4.1.2.1.3";
    static final String STUDY_ROOT_FIND = "1.2.840.10008.5.1.4.1.2.2.1";
    static final String STUDY_ROOT_MOVE = "1.2.840.10008.5.1.4.1.2.2.2";
    static final String STUDY_ROOT_GET = "1.2.840.10008.5.1.4.1.2.2.3";

    private static final Set<String> SERVICES = Set.of(VERIFICATION, PATIENT_ROOT_FIND, PATIENT_ROOT_MOVE,
            PATIENT_ROOT_GET, STUDY_ROOT_FIND, STUDY_ROOT_MOVE, STUDY_ROOT_GET);

    /** Storage SOP classes outside the 1.2.840.10008.5.1.4.1.1 arc (PS3.4 B.5). */
    private static final Set<String> OTHER_STORAGE = Set.of("1.2.840.10008.5.1.4.34.7", "1.2.840.10008.5.1.4.34.10",
            "1.2.840.10008.5.1.4.38.1", "1.2.840.10008.5.1.4.39.1", "1.2.840.10008.5.1.4.43.1",
            "1.2.840.10008.5.1.4.44.1", "1.2.840.10008.5.1.4.45.1");

    /** Commands and identifiers are decoded and encoded by us, so only the two LE syntaxes we write. */
    static final List<String> SERVICE_SYNTAXES = List.of(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN,
            TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN);

    private SopClasses() {
    }

    static boolean isStorage(String uid) {
        return uid.startsWith("1.2.840.10008.5.1.4.1.1.") || OTHER_STORAGE.contains(uid);
    }

    static boolean isService(String uid) {
        return SERVICES.contains(uid);
    }

    static boolean isFind(String uid) {
        return uid.equals(PATIENT_ROOT_FIND) || uid.equals(STUDY_ROOT_FIND);
    }

    static boolean isMove(String uid) {
        return uid.equals(PATIENT_ROOT_MOVE) || uid.equals(STUDY_ROOT_MOVE);
    }

    static boolean isGet(String uid) {
        return uid.equals(PATIENT_ROOT_GET) || uid.equals(STUDY_ROOT_GET);
    }

    static boolean isPatientRoot(String uid) {
        return uid.startsWith("1.2.840.10008.5.1.4.1.2.1.");
    }

    /**
     * What the archive reads and keeps as received: the native syntaxes, deflate, and the encapsulated ones
     * (JPEG family, JPEG-LS, JPEG 2000, HTJ2K, MPEG/HEVC, RLE, encapsulated uncompressed).
     */
    static boolean isStorableSyntax(String ts) {
        return ts.equals(TransferSyntax.IMPLICIT_VR_LITTLE_ENDIAN) || ts.equals(TransferSyntax.EXPLICIT_VR_LITTLE_ENDIAN)
                || ts.equals(TransferSyntax.EXPLICIT_VR_BIG_ENDIAN)
                || ts.equals(TransferSyntax.DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN)
                || ts.equals("1.2.840.10008.1.2.1.98") || ts.equals(TransferSyntax.RLE_LOSSLESS)
                || ts.startsWith("1.2.840.10008.1.2.4.");
    }
}
