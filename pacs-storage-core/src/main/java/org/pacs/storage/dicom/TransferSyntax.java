package org.pacs.storage.dicom;

/** Transfer syntax UIDs this project reads and writes (PS3.5 §10, PS3.6 Annex A). */
public final class TransferSyntax {

    private TransferSyntax() {
    }

    public static final String IMPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2";
    public static final String EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1";
    public static final String DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = "1.2.840.10008.1.2.1.99";
    public static final String EXPLICIT_VR_BIG_ENDIAN = "1.2.840.10008.1.2.2";
    public static final String JPEG_BASELINE = "1.2.840.10008.1.2.4.50";
    public static final String JPEG_LOSSLESS_SV1 = "1.2.840.10008.1.2.4.70";
    public static final String JPEG_LS_LOSSLESS = "1.2.840.10008.1.2.4.80";
    public static final String JPEG_2000_LOSSLESS = "1.2.840.10008.1.2.4.90";
    public static final String JPEG_2000 = "1.2.840.10008.1.2.4.91";
    public static final String RLE_LOSSLESS = "1.2.840.10008.1.2.5";

    /** Every syntax other than the three native ones and deflate encapsulates Pixel Data. */
    public static boolean isEncapsulated(String uid) {
        return !(IMPLICIT_VR_LITTLE_ENDIAN.equals(uid) || EXPLICIT_VR_LITTLE_ENDIAN.equals(uid)
                || DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN.equals(uid) || EXPLICIT_VR_BIG_ENDIAN.equals(uid));
    }
}
