package org.pacs.storage.dicomweb;

import org.pacs.storage.dicom.TransferSyntax;

/** The media type of a frame's bytes for each transfer syntax (PS3.18 Table 8.7.3-2 and -3). */
final class FrameMediaTypes {

    private FrameMediaTypes() {
    }

    static boolean isNative(String ts) {
        return !TransferSyntax.isEncapsulated(ts);
    }

    static String of(String ts) {
        if (isNative(ts)) {
            return MediaType.OCTET_STREAM;
        }
        return switch (ts) {
            case "1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.4.51", "1.2.840.10008.1.2.4.57",
                 "1.2.840.10008.1.2.4.70" -> "image/jpeg";
            case "1.2.840.10008.1.2.4.80", "1.2.840.10008.1.2.4.81" -> "image/jls";
            case "1.2.840.10008.1.2.4.90", "1.2.840.10008.1.2.4.91" -> "image/jp2";
            case "1.2.840.10008.1.2.4.92", "1.2.840.10008.1.2.4.93" -> "image/jpx";
            case "1.2.840.10008.1.2.4.201", "1.2.840.10008.1.2.4.202", "1.2.840.10008.1.2.4.203" -> "image/jphc";
            case "1.2.840.10008.1.2.5" -> "image/dicom-rle";
            case "1.2.840.10008.1.2.4.100", "1.2.840.10008.1.2.4.101" -> "video/mpeg";
            case "1.2.840.10008.1.2.4.102", "1.2.840.10008.1.2.4.103", "1.2.840.10008.1.2.4.104",
                 "1.2.840.10008.1.2.4.105", "1.2.840.10008.1.2.4.106" -> "video/mp4";
            default -> MediaType.OCTET_STREAM;
        };
    }
}
